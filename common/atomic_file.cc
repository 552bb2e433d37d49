#include "common/atomic_file.h"

#include "common/error.h"

#include <unistd.h>

namespace mpstream
{
  AtomicFile::AtomicFile(const std::filesystem::path &target)
    : target_(target)
    , temporary_(target.string() + ".partial." + std::to_string(::getpid()))
  {
    if (target_.has_parent_path())
      std::filesystem::create_directories(target_.parent_path());
    out_.open(temporary_);
    if (!out_)
      throw InputError("cannot open '" + temporary_.string() + "' for writing");
    out_.precision(12);
  }

  AtomicFile::~AtomicFile()
  {
    if (!committed_)
      {
        out_.close();
        std::error_code ignored;
        std::filesystem::remove(temporary_, ignored);
      }
  }

  void AtomicFile::commit()
  {
    out_.close();
    if (!out_)
      throw RuntimeFailure("writing '" + temporary_.string() + "' failed");
    std::filesystem::rename(temporary_, target_);
    committed_ = true;
  }

  void write_file_atomically(const std::filesystem::path &target, const std::string &content)
  {
    AtomicFile file(target);
    file.stream() << content;
    file.commit();
  }
} // namespace mpstream
