#pragma once
// Log stream for Electrostatics and StreamCharging during the charging stage: forwards every
// line to the target (the run's log stream, rank 0) and appends "k of n, elapsed, about t
// left" to each "response to sphere" line, so the N unit-charge solves (minutes on the
// 77-sphere stream) show progress and an estimate. Electrostatics prints that line after each
// unit solve; StreamCharging's "[charging] responses:" / "[charging] refresh:" lines start the
// clock of a round. n (the number of spheres) is given by the caller.
#include <chrono>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

namespace mpstream::app
{
  class ResponseProgressBuffer : public std::streambuf
  {
  public:
    ResponseProgressBuffer(std::ostream &target, std::size_t expected_solves);
    void restart(std::size_t expected_solves); // a new round of unit solves

  protected:
    int overflow(int c) override;
    int sync() override;

  private:
    void emit_line();
    std::ostream &target_;
    std::string line_;
    std::size_t expected_ = 0, done_ = 0;
    std::chrono::steady_clock::time_point start_;
  };

  class ResponseProgressLog : public std::ostream
  {
  public:
    ResponseProgressLog(std::ostream &target, std::size_t expected_solves)
      : std::ostream(&buffer_)
      , buffer_(target, expected_solves)
    {}
    void restart(std::size_t expected_solves) { buffer_.restart(expected_solves); }

  private:
    ResponseProgressBuffer buffer_;
  };
} // namespace mpstream::app
