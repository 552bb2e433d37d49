#pragma once
// The charging driver's response tables (response_tables.h) as a binary record
// (common/binary_record.h), for the stage cache (app/stage_cache.h): global data only (dense
// matrices, surface points, the force form's matrices through its public interface), no DoF
// vector, so tables written by a run on N ranks serve a run on any rank count.
#include "common/binary_record.h"
#include "solver/response_tables.h"

namespace mpstream::solver
{
  void write_response_tables(BinaryRecordWriter &out, const ResponseTables &tables);
  // InputError if the record is damaged or not of response tables.
  ResponseTables read_response_tables(BinaryRecordReader &in);
} // namespace mpstream::solver
