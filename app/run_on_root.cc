#include "app/run_on_root.h"

#include "common/error.h"

#include <string>

namespace mpstream::app
{
  namespace
  {
    enum Outcome : int
    {
      success       = 0,
      input_error   = 1,
      runtime_error = 2
    };

    // Rank 0's outcome and message, broadcast to every rank.
    void broadcast(MPI_Comm comm, int &outcome, std::string &message)
    {
      MPI_Bcast(&outcome, 1, MPI_INT, 0, comm);
      int length = static_cast<int>(message.size());
      MPI_Bcast(&length, 1, MPI_INT, 0, comm);
      message.resize(static_cast<std::size_t>(length));
      MPI_Bcast(message.data(), length, MPI_CHAR, 0, comm);
    }
  } // namespace

  void run_on_root(MPI_Comm comm, const std::function<void()> &work)
  {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    int outcome = success;
    std::string message;
    if (rank == 0)
      {
        try
          {
            work();
          }
        catch (const InputError &e)
          {
            outcome = input_error;
            message = e.what();
          }
        catch (const std::exception &e)
          {
            outcome = runtime_error;
            message = e.what();
          }
      }
    broadcast(comm, outcome, message);
    if (outcome == input_error)
      throw InputError(message);
    if (outcome == runtime_error)
      throw RuntimeFailure(message);
  }
} // namespace mpstream::app
