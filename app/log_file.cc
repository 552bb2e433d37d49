#include "app/log_file.h"

#include "common/error.h"

#include <algorithm>
#include <iostream>

namespace mpstream::app
{
  namespace
  {
    // Unbuffered: every character goes to both at once, so a run killed mid-way leaves its
    // log up to the last line (std::cerr flushes after every output operation).
    class TeeBuffer : public std::streambuf
    {
    public:
      TeeBuffer(std::streambuf *first, std::streambuf *second) : first_(first), second_(second) {}

    protected:
      int_type overflow(int_type c) override
      {
        if (traits_type::eq_int_type(c, traits_type::eof()))
          return traits_type::not_eof(c);
        const auto ch = traits_type::to_char_type(c);
        const bool ok = !traits_type::eq_int_type(first_->sputc(ch), traits_type::eof()) &
                        !traits_type::eq_int_type(second_->sputc(ch), traits_type::eof());
        return ok ? c : traits_type::eof();
      }
      std::streamsize xsputn(const char *s, std::streamsize n) override
      {
        const std::streamsize a = first_->sputn(s, n), b = second_->sputn(s, n);
        return std::min(a, b);
      }
      int sync() override
      {
        const int a = first_->pubsync(), b = second_->pubsync();
        return a == 0 && b == 0 ? 0 : -1;
      }

    private:
      std::streambuf *first_, *second_;
    };
  } // namespace

  void StderrCopy::start(const std::filesystem::path &file)
  {
    file_.open(file, std::ios::app);
    if (!file_)
      throw InputError("cannot write the log file '" + file.string() + "'");
    tee_           = std::make_unique<TeeBuffer>(std::cerr.rdbuf(), file_.rdbuf());
    stderr_buffer_ = std::cerr.rdbuf(tee_.get());
  }

  StderrCopy::~StderrCopy()
  {
    if (stderr_buffer_)
      std::cerr.rdbuf(stderr_buffer_);
  }
} // namespace mpstream::app
