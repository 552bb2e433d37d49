#pragma once
// log.txt in the results folder: a copy of what rank 0 writes to stderr (the stages' progress,
// warnings, and the final error line if the run fails), so that a batch job's results folder
// says what happened without the scheduler's output file. std::cerr's buffer is replaced by
// one that writes to both; each run appends, after a header line with its command and date,
// so that the stages run earlier into the same folder keep their lines (as in summary.json).
#include <filesystem>
#include <fstream>
#include <memory>
#include <streambuf>

namespace mpstream::app
{
  class StderrCopy
  {
  public:
    StderrCopy() = default;
    StderrCopy(const StderrCopy &) = delete;
    StderrCopy &operator=(const StderrCopy &) = delete;
    ~StderrCopy(); // std::cerr writes to stderr alone again

    // From now on std::cerr also appends to `file`. Call on rank 0 only.
    void start(const std::filesystem::path &file);

  private:
    std::ofstream file_;
    std::unique_ptr<std::streambuf> tee_;
    std::streambuf *stderr_buffer_ = nullptr;
  };
} // namespace mpstream::app
