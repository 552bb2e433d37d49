#include "app/mc_stream_field.h"

#include "app/parameter_checks.h"
#include "meshing/mesher.h"
#include "solver/stream_field_sampling.h"

#include <sstream>

namespace mpstream::app
{
  McStreamField sample_field_for_mc(const Scenario &scenario, const layout::StreamLayout &layout,
                                    const solver::Electrostatics &es, RunContext &context)
  {
    const auto &mcp          = scenario.monte_carlo;
    const double lid_height_m = meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes)[1][2];
    const auto grid          = solver::stream_field_grid(layout, mcp.field_grid);
    if (!(grid.upper[2] < lid_height_m))
      {
        std::ostringstream value;
        value << mcp.field_grid.height_above_stream_m;
        parameter_error("Monte Carlo/Field grid height above stream [m]", value.str(),
                        "puts the grid's top at or above the enclosure's lid (" + std::to_string(lid_height_m) + " m)");
      }
    McStreamField out;
    out.field = std::make_unique<solver::SampledStreamField>(
      solver::sample_stream_field(es, layout, lid_height_m, mcp.field_grid, &out.report));
    out.flight                 = mcp.field_flight;
    out.flight.escape_height_m = out.field->nodes().upper[2];
    context.log << "[mc] stream field sampled at " << out.report.nodes << " grid nodes (" << out.report.nodes_in_vacuum
                << " in the vacuum) in " << out.report.seconds << " s; electrons rising above z = "
                << out.flight.escape_height_m << " m escape" << std::endl;
    return out;
  }
} // namespace mpstream::app
