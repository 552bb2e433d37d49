#pragma once
// The stream's field as the Monte Carlo sees it (issue 15): the electrostatics solution in place
// sampled on a grid over the stream (solver/stream_field_sampling.h), with the flight options
// that go with it (an electron rising through the grid's top escapes: above it the field
// between the stream and the grounded lid pushes it up).
#include "app/run_context.h"
#include "app/scenario.h"
#include "solver/sampled_field.h"

#include <memory>

namespace mpstream::app
{
  struct McStreamField
  {
    std::unique_ptr<solver::SampledStreamField> field;
    mc::FieldFlightOptions flight;
    solver::SampledFieldReport report;
  };

  // Refuses (InputError) a field grid that reaches an auxiliary electrode or the electrode
  // wall: the Monte Carlo knows the spheres and the anode only, so an electron would leave the
  // field's domain through a wall held at a potential without seeing it.
  // `parameter` = `value` is what asked for the field (named in the message).
  void check_field_grid_clear_of_electrodes(const Scenario &scenario, const layout::StreamLayout &layout,
                                            const std::string &parameter, const std::string &value);

  // Samples the solution in es (its current charge state); collective. Logs what it sampled.
  McStreamField sample_field_for_mc(const Scenario &scenario, const layout::StreamLayout &layout,
                                    const solver::Electrostatics &es, RunContext &context);
} // namespace mpstream::app
