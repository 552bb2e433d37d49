#pragma once
// Writes a file under a temporary name and renames it into place on commit(), so that a
// crash never leaves a half-written file that looks complete.
#include <filesystem>
#include <fstream>
#include <string>

namespace mpstream
{
  class AtomicFile
  {
  public:
    explicit AtomicFile(const std::filesystem::path &target);
    ~AtomicFile(); // removes the temporary if commit() was never reached

    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    std::ostream &stream() { return out_; }
    void commit();

  private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    std::ofstream out_;
    bool committed_ = false;
  };

  // Convenience: write a whole string atomically.
  void write_file_atomically(const std::filesystem::path &target, const std::string &content);
} // namespace mpstream
