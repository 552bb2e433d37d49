#pragma once
// The Monte Carlo and thermal products the stage cache keeps (app/stage_cache.h) as binary
// records (common/binary_record.h): the charging MC's per-sphere q, the whole stream's MC power
// grids and its transient. Every value bit for bit; InputError if a record is damaged.
#include "common/binary_record.h"
#include "solver/mc_charge_sources.h"
#include "solver/mc_heat_source.h"
#include "solver/stream_thermal.h"

namespace mpstream::solver
{
  void write_charge_sources(BinaryRecordWriter &out, const MonteCarloChargeSources &sources);
  MonteCarloChargeSources read_charge_sources(BinaryRecordReader &in);

  void write_stream_mc_source(BinaryRecordWriter &out, const StreamMcSource &source);
  StreamMcSource read_stream_mc_source(BinaryRecordReader &in);

  void write_stream_thermal_result(BinaryRecordWriter &out, const StreamThermalResult &result);
  StreamThermalResult read_stream_thermal_result(BinaryRecordReader &in);
} // namespace mpstream::solver
