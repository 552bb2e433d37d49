#include "app/response_progress.h"

namespace mpstream::app
{
  ResponseProgressBuffer::ResponseProgressBuffer(std::ostream &target, std::size_t expected_solves)
    : target_(target)
  {
    restart(expected_solves);
  }

  void ResponseProgressBuffer::restart(std::size_t expected_solves)
  {
    expected_ = expected_solves;
    done_     = 0;
    start_    = std::chrono::steady_clock::now();
  }

  int ResponseProgressBuffer::overflow(int c)
  {
    if (c == traits_type::eof())
      return 0;
    if (c == '\n')
      emit_line();
    else
      line_.push_back(static_cast<char>(c));
    return c;
  }

  int ResponseProgressBuffer::sync()
  {
    if (!line_.empty())
      emit_line();
    target_.flush();
    return 0;
  }

  void ResponseProgressBuffer::emit_line()
  {
    target_ << line_;
    // StreamCharging announces each round of response solves (also through this stream).
    if (line_.find("[charging] responses:") != std::string::npos || line_.find("[charging] refresh:") != std::string::npos)
      restart(expected_);
    if (line_.find("response to sphere") != std::string::npos)
      {
        ++done_;
        const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::ostringstream extra;
        extra.precision(3);
        extra << " (" << done_ << " of " << expected_ << ", " << elapsed << " s elapsed, about "
              << elapsed / done_ * (expected_ > done_ ? expected_ - done_ : 0) << " s left)";
        target_ << extra.str();
      }
    target_ << '\n';
    line_.clear();
  }
} // namespace mpstream::app
