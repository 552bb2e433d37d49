#include "app/stage_cache.h"

#include "app/build_info.h"
#include "app/run_on_root.h"
#include "common/atomic_file.h"
#include "common/digest.h"
#include "common/wall_clock.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace mpstream::app
{
  namespace
  {
    const char *const format_line = "mpstream-stage-cache 1";

    std::string exact(double x)
    {
      char text[32];
      std::snprintf(text, sizeof text, "%.17g", x);
      return text;
    }

    std::string build_line() { return "mpstream " + mpstream_version(); }

    std::filesystem::path cache_dir(const RunContext &context) { return context.output_dir / "cache"; }

    std::filesystem::path cache_file(const RunContext &context, const CacheKey &key)
    {
      return cache_dir(context) / (key.product() + "-" + text_digest(key.text()) + ".bin");
    }

    InputError refused(const std::filesystem::path &file, const std::string &why)
    {
      return InputError("stage cache '" + file.string() + "': " + why +
                        " (delete the cache folder to start over, or run with --no-cache)");
    }

    // One cache file: its key text and (if asked) its payload.
    struct CacheFile
    {
      std::string key_text, payload;
    };

    CacheFile read_cache_file(const std::filesystem::path &file, bool with_payload)
    {
      std::ifstream in(file, std::ios::binary);
      std::string format, word;
      std::size_t key_bytes = 0, payload_bytes = 0;
      if (!std::getline(in, format) || format != format_line)
        throw refused(file, "not a cache file of this mpstream's format (" + std::string(format_line) + ")");
      if (!(in >> word >> key_bytes) || word != "key-bytes" || in.get() != '\n')
        throw refused(file, "truncated or damaged (no key length)");
      CacheFile c;
      c.key_text.resize(key_bytes);
      if (!in.read(c.key_text.data(), static_cast<std::streamsize>(key_bytes)))
        throw refused(file, "truncated (inside its key text)");
      if (!with_payload)
        return c;
      if (!(in >> word >> payload_bytes) || word != "payload-bytes" || in.get() != '\n')
        throw refused(file, "truncated or damaged (no payload length)");
      c.payload.resize(payload_bytes);
      if (!in.read(c.payload.data(), static_cast<std::streamsize>(payload_bytes)))
        throw refused(file, "truncated: fewer than its " + std::to_string(payload_bytes) + " payload bytes");
      std::string end;
      if (!(in >> end) || end != "end")
        throw refused(file, "truncated or damaged (no end line)");
      return c;
    }

    std::vector<std::string> lines_of(const std::string &text)
    {
      std::vector<std::string> lines;
      std::istringstream in(text);
      for (std::string line; std::getline(in, line);)
        lines.push_back(line);
      return lines;
    }

    // The key lines of `now` that `before` lacks, for the log (at most three).
    std::string changed_lines(const std::string &before, const std::string &now)
    {
      const auto old_lines = lines_of(before);
      const std::set<std::string> old_set(old_lines.begin(), old_lines.end());
      std::vector<std::string> changed;
      for (const auto &line : lines_of(now))
        if (!old_set.count(line) && line.rfind("subsection", 0) != 0 && line != "end")
          changed.push_back(line);
      if (changed.empty())
        return "lines removed from the key";
      std::string out;
      for (std::size_t n = 0; n < std::min<std::size_t>(3, changed.size()); ++n)
        out += (n ? "; " : "") + changed[n];
      if (changed.size() > 3)
        out += "; and " + std::to_string(changed.size() - 3) + " more";
      return out;
    }

    // Rank 0: the product's files of other keys. Refuses one of another mpstream version.
    std::vector<std::filesystem::path> other_files(const RunContext &context, const CacheKey &key,
                                                   std::string &changes)
    {
      std::vector<std::filesystem::path> others;
      std::error_code error;
      const auto mine = cache_file(context, key);
      for (const auto &entry : std::filesystem::directory_iterator(cache_dir(context), error))
        {
          const auto name = entry.path().filename().string();
          if (entry.path() == mine || name.rfind(key.product() + "-", 0) != 0 || entry.path().extension() != ".bin")
            continue;
          const auto stored = read_cache_file(entry.path(), false).key_text;
          const auto first  = stored.substr(0, stored.find('\n'));
          if (first != build_line())
            throw refused(entry.path(), "written by " + first + ", this is " + build_line());
          changes = changed_lines(stored, key.text());
          others.push_back(entry.path());
        }
      return others;
    }

    void record(RunContext &context, const char *list, const std::string &product)
    {
      auto &cache      = context.summary["cache"];
      cache["enabled"] = context.use_cache;
      auto &products   = cache[list];
      if (!products.as_array())
        products = Json::array();
      products.push_back(product);
    }

    // Rank 0's bytes on every rank.
    void broadcast(MPI_Comm comm, std::optional<std::string> &bytes)
    {
      unsigned long long size = bytes ? bytes->size() : 0;
      int found               = bytes ? 1 : 0;
      MPI_Bcast(&found, 1, MPI_INT, 0, comm);
      MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
      if (!found)
        {
          bytes.reset();
          return;
        }
      int rank = 0;
      MPI_Comm_rank(comm, &rank);
      if (rank != 0)
        bytes.emplace(size, '\0');
      constexpr unsigned long long chunk = 1ull << 30;
      for (unsigned long long at = 0; at < size; at += chunk)
        MPI_Bcast(bytes->data() + at, static_cast<int>(std::min(chunk, size - at)), MPI_CHAR, 0, comm);
    }
  } // namespace

  std::string used_parameter_lines(const std::filesystem::path &parameters_used,
                                   const std::function<bool(const std::string &, const std::string &)> &keep)
  {
    std::ostringstream out;
    std::ifstream used(parameters_used);
    std::string line, section;
    int depth = 0;
    while (std::getline(used, line))
      {
        const auto text = line.substr(std::min(line.size(), line.find_first_not_of(' ')));
        if (text.rfind("subsection ", 0) == 0 && depth++ == 0)
          section = text.substr(11);
        if (keep(section, text))
          out << text << '\n';
        if (text == "end" && --depth == 0)
          section.clear();
      }
    return out.str();
  }

  namespace
  {
    // "set Name   = value" -> "Name"; empty for other lines.
    std::string entry_name(const std::string &text)
    {
      if (text.rfind("set ", 0) != 0)
        return {};
      const auto equals = text.find('=');
      auto name         = text.substr(4, equals == std::string::npos ? std::string::npos : equals - 4);
      return name.substr(0, name.find_last_not_of(' ') + 1);
    }

    bool contains(const std::vector<std::string> &list, const std::string &s)
    {
      return std::find(list.begin(), list.end(), s) != list.end();
    }
  } // namespace

  CacheKey::CacheKey(const RunContext &context, std::string product)
    : product_(std::move(product))
    , parameters_used_(context.path("parameters_used.prm"))
  {
    text_ = build_line() + "\ngit commit " + git_commit() + "\nproduct " + product_ + '\n';
    header_size_ = text_.size();
  }

  CacheKey &CacheKey::sections(const std::vector<std::string> &names, const std::vector<std::string> &except)
  {
    text_ += used_parameter_lines(parameters_used_, [&](const std::string &section, const std::string &text) {
      return contains(names, section) && !contains(except, entry_name(text));
    });
    return *this;
  }

  CacheKey &CacheKey::entries(const std::string &section, const std::vector<std::string> &names)
  {
    text_ += used_parameter_lines(parameters_used_, [&](const std::string &s, const std::string &text) {
      return s == section && contains(names, entry_name(text));
    });
    return *this;
  }

  CacheKey &CacheKey::line(const std::string &text)
  {
    text_ += text + '\n';
    return *this;
  }

  CacheKey &CacheKey::number(const std::string &name, double value) { return line(name + " " + exact(value)); }

  CacheKey &CacheKey::spheres(const std::string &name, const layout::StreamLayout &layout)
  {
    line(name + ": " + std::to_string(layout.spheres.size()) + " spheres");
    for (const auto &s : layout.spheres)
      line(exact(s.centre[0]) + ' ' + exact(s.centre[1]) + ' ' + exact(s.centre[2]) + ' ' + exact(s.radius));
    return *this;
  }

  CacheKey &CacheKey::file(const std::string &name, const std::filesystem::path &file)
  {
    if (!file.empty())
      line(name + " " + file.string() + " contents " + file_digest(file));
    return *this;
  }

  CacheKey &CacheKey::includes(const CacheKey &upstream)
  {
    text_ += "from " + upstream.product_ + ":\n" + upstream.text_.substr(upstream.header_size_);
    return *this;
  }

  std::optional<std::string> cached_product(RunContext &context, const CacheKey &key)
  {
    if (!context.use_cache)
      {
        context.summary["cache"]["enabled"] = false;
        return std::nullopt;
      }
    std::optional<std::string> bytes;
    const auto t0 = WallClock::now();
    run_on_root(context.comm, [&] {
      const auto file = cache_file(context, key);
      std::string changes;
      const auto others = other_files(context, key, changes);
      if (!std::filesystem::exists(file))
        {
          context.log << "[cache] " << key.product() << ": computing ("
                      << (others.empty() ? "none cached in this folder"
                                         : "upstream inputs changed since " + others.front().filename().string() +
                                             ": " + changes)
                      << ")" << std::endl;
          return;
        }
      auto stored = read_cache_file(file, true);
      if (stored.key_text != key.text())
        throw refused(file, "its stored key text does not match its name (this run's key: " +
                              text_digest(key.text()) + ", the stored text's: " + text_digest(stored.key_text) + ")");
      bytes = std::move(stored.payload);
    });
    broadcast(context.comm, bytes);
    if (bytes)
      {
        record(context, "reused_products", key.product());
        context.log << "[cache] " << key.product() << ": reused " << cache_file(context, key).filename().string()
                    << " (" << bytes->size() / 1e6 << " MB, read in " << seconds_since(t0) << " s)" << std::endl;
      }
    return bytes;
  }

  void store_product(RunContext &context, const CacheKey &key, const std::string &bytes)
  {
    record(context, "computed_products", key.product());
    run_on_root(context.comm, [&] {
      const auto file = cache_file(context, key);
      std::filesystem::create_directories(cache_dir(context));
      std::string changes;
      const auto others = other_files(context, key, changes);
      AtomicFile out(file);
      out.stream() << format_line << "\nkey-bytes " << key.text().size() << '\n'
                   << key.text() << "payload-bytes " << bytes.size() << '\n';
      out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.stream() << "end\n";
      out.commit();
      for (const auto &other : others) // products of other inputs: not reusable by this folder's next run
        std::filesystem::remove(other);
      context.log << "[cache] " << key.product() << ": stored " << file.filename().string() << " ("
                  << bytes.size() / 1e6 << " MB)" << std::endl;
    });
  }

  InputError cache_refusal(const RunContext &context, const CacheKey &key, const std::string &why)
  {
    return refused(cache_file(context, key), why);
  }
} // namespace mpstream::app
