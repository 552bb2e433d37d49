#include "app/summary_file.h"

#include "common/atomic_file.h"
#include "common/json_parse.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mpstream::app
{
  namespace
  {
    const char *const summary_name = "summary.json";
    const char *const earlier_name = "summary_earlier.json";

    // Object `b`'s keys over object `a`'s, key by key (one level).
    Json merged_object(const Json *a, const Json *b)
    {
      Json out = Json::object();
      for (const Json *source : {a, b})
        if (source && source->as_object())
          for (const auto &[key, value] : *source->as_object())
            out[key] = value;
      return out;
    }
  } // namespace

  void set_aside_earlier_summary(const std::filesystem::path &output_dir)
  {
    const auto summary = output_dir / summary_name;
    if (std::filesystem::exists(summary))
      std::filesystem::rename(summary, output_dir / earlier_name);
  }

  Json read_earlier_summary(const std::filesystem::path &output_dir, std::ostream &log)
  {
    const auto file = output_dir / earlier_name;
    std::ifstream in(file);
    if (!in)
      return Json::object();
    std::ostringstream text;
    text << in.rdbuf();
    try
      {
        Json earlier = parse_json(text.str());
        if (earlier.as_object())
          return earlier;
        log << "Warning: " << file.string() << " is not a JSON object: its keys are not kept" << std::endl;
      }
    catch (const std::runtime_error &e)
      {
        log << "Warning: " << file.string() << " cannot be read (" << e.what() << "): its keys are not kept"
            << std::endl;
      }
    return Json::object();
  }

  Json merge_summaries(const Json &earlier, const Json &current)
  {
    Json out = Json::object();
    for (const char *first : {"status", "run", "versions"}) // the head of the file: what this run was
      if (const Json *value = current.find(first))
        out[first] = *value;
    if (earlier.as_object())
      for (const auto &[key, value] : *earlier.as_object())
        if (key != "run" && key != "earlier_runs")
          out[key] = value;
    for (const auto &[key, value] : *current.as_object())
      out[key] = value;
    out["wall_times"] = merged_object(earlier.find("wall_times"), current.find("wall_times"));
    if (earlier.find("run"))
      {
        Json runs = Json::array();
        if (const Json *older = earlier.find("earlier_runs"); older && older->as_array())
          for (const auto &r : *older->as_array())
            runs.push_back(r);
        runs.push_back(*earlier.find("run"));
        out["earlier_runs"] = runs;
      }
    return out;
  }

  void write_summary(const std::filesystem::path &output_dir, const Json &summary)
  {
    write_file_atomically(output_dir / summary_name, summary.dump());
    std::filesystem::remove(output_dir / earlier_name);
  }
} // namespace mpstream::app
