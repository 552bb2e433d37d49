// summary.json across runs into one folder (app/summary_file.h): unit tests of the merge rules
// (this run's keys win a stage's object as a whole; wall_times per stage; the earlier runs'
// records kept in order) and of reading a broken earlier summary (reported, not kept).
#include "app/summary_file.h"
#include "common/json_parse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mpstream::app
{
  namespace
  {
    Json summary(const std::string &text) { return parse_json(text); }
  } // namespace

  TEST(SummaryMerge, ThisRunsStageReplacesTheEarlierOneWhole)
  {
    const Json earlier = summary(R"({"status": "complete", "run": {"command": "charging"},
      "charging": {"mode": "field cap", "stream_potential_min_V": -40},
      "mesh": {"n_elements": 100}, "wall_times": {"mesh_s": 1, "charging_s": 5}})");
    const Json current = summary(R"({"status": "complete", "run": {"command": "charging"},
      "charging": {"mode": "backscatter only"}, "wall_times": {"charging_s": 2}})");
    const Json merged = merge_summaries(earlier, current);
    EXPECT_EQ(merged.find("mesh")->dump(), earlier.find("mesh")->dump());
    EXPECT_EQ(merged.find("charging")->dump(), current.find("charging")->dump()); // no stale key
    EXPECT_EQ(merged.find("wall_times")->dump(), summary(R"({"mesh_s": 1, "charging_s": 2})").dump());
    EXPECT_EQ(merged.find("earlier_runs")->dump(), summary(R"([{"command": "charging"}])").dump());
  }

  TEST(SummaryMerge, EarlierRunsAccumulateInOrderAndTheHeadIsThisRun)
  {
    const Json first  = summary(R"({"run": {"command": "mesh"}, "mesh": {}})");
    const Json second = merge_summaries(first, summary(R"({"status": "complete", "run": {"command": "thermal"}})"));
    const Json third  = merge_summaries(second, summary(R"({"status": "complete", "run": {"command": "mc"}})"));
    EXPECT_EQ(third.find("earlier_runs")->dump(), summary(R"([{"command": "mesh"}, {"command": "thermal"}])").dump());
    EXPECT_EQ(third.as_object()->front().first, "status");
    EXPECT_EQ(third.find("run")->dump(), summary(R"({"command": "mc"})").dump());
    EXPECT_NE(third.find("mesh"), nullptr);
  }

  TEST(SummaryMerge, NothingEarlierGivesThisRunsSummary)
  {
    const Json current = summary(R"({"status": "complete", "run": {"command": "mesh"}, "wall_times": {"mesh_s": 1}})");
    EXPECT_EQ(merge_summaries(Json::object(), current).dump(), current.dump());
  }

  TEST(SummaryMerge, ATruncatedEarlierSummaryIsReportedAndNotKept)
  {
    const auto dir = std::filesystem::temp_directory_path() / "mpstream_test_summary_merge";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "summary.json") << R"({"status": "complete", "mesh": {"n_elem)";
    set_aside_earlier_summary(dir);
    EXPECT_FALSE(std::filesystem::exists(dir / "summary.json"));
    std::ostringstream log;
    EXPECT_EQ(read_earlier_summary(dir, log).dump(), Json::object().dump());
    EXPECT_NE(log.str().find("cannot be read"), std::string::npos) << log.str();
    write_summary(dir, summary(R"({"status": "complete"})"));
    EXPECT_TRUE(std::filesystem::exists(dir / "summary.json"));
    EXPECT_FALSE(std::filesystem::exists(dir / "summary_earlier.json"));
    std::filesystem::remove_all(dir);
  }
} // namespace mpstream::app
