#include "app/mc_state_point.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <fstream>
#include <sstream>

namespace mpstream::app
{
  namespace
  {
    const char *const format_line = "mpstream-mc-state-point 1";

    InputError refused(const std::filesystem::path &file, const std::string &why)
    {
      return InputError("Monte Carlo state point '" + file.string() + "': " + why +
                        " (delete it to start over, or use another --output-dir)");
    }
  } // namespace

  void write_state_point(const std::filesystem::path &file, const McStatePoint &point)
  {
    const auto data = point.tallies.serialize();
    AtomicFile out(file);
    auto &o = out.stream();
    o << format_line << "\nkey " << point.key << "\nhistories " << point.tallies.histories << "\nvalues "
      << data.size() << '\n';
    for (const auto v : data)
      o << v << '\n';
    o << "end\n";
    out.commit();
  }

  std::optional<McStatePoint> read_state_point(const std::filesystem::path &file, const std::string &key,
                                               const mc::Tallies &shape)
  {
    std::ifstream in(file);
    if (!in)
      return std::nullopt;
    std::string format, word, stored_key, end;
    std::uint64_t histories = 0;
    std::size_t n_values    = 0;
    std::getline(in, format);
    if (format != format_line)
      throw refused(file, "not a state point of this mpstream version's format");
    if (!(in >> word >> stored_key) || word != "key")
      throw refused(file, "truncated or damaged (no key)");
    if (stored_key != key)
      throw refused(file, "written for other parameters or another mpstream version (key " + stored_key +
                            ", this run's " + key + ")");
    if (!(in >> word >> histories) || word != "histories" || !(in >> word >> n_values) || word != "values")
      throw refused(file, "truncated or damaged (no history count)");
    std::vector<std::int64_t> data(n_values);
    for (auto &v : data)
      if (!(in >> v))
        throw refused(file, "truncated: fewer than its " + std::to_string(n_values) + " tally values");
    if (!(in >> end) || end != "end")
      throw refused(file, "truncated or damaged (no end line)");
    McStatePoint point{stored_key, shape};
    if (data.size() != shape.serialize().size())
      throw refused(file, "its tallies have another shape than this run's");
    point.tallies.deserialize(data);
    if (point.tallies.histories != histories)
      throw refused(file, "damaged (history counts disagree)");
    return point;
  }
} // namespace mpstream::app
