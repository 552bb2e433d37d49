#include "app/mc_stream_field.h"

#include "app/parameter_checks.h"
#include "meshing/mesher.h"
#include "solver/stream_field_sampling.h"

#include <sstream>

namespace mpstream::app
{
  namespace
  {
    bool boxes_overlap(const std::array<double, 3> &lo, const std::array<double, 3> &hi, const layout::Point3 &box_lo,
                       const layout::Point3 &box_hi)
    {
      for (int d = 0; d < 3; ++d)
        if (!(lo[d] < box_hi[d] && box_lo[d] < hi[d]))
          return false;
      return true;
    }

    // The frame's bar: its outer box less the hole it frames (which spans all z).
    bool grid_reaches_frame(const solver::FieldGridNodes &g, const meshing::Frame &f)
    {
      if (!boxes_overlap(g.lower, g.upper, f.outer_lower, f.outer_upper))
        return false;
      const bool inside_hole = g.lower[0] >= f.inner_lower[0] && g.upper[0] <= f.inner_upper[0] &&
                               g.lower[1] >= f.inner_lower[1] && g.upper[1] <= f.inner_upper[1];
      return !inside_hole;
    }

    [[noreturn]] void refuse(const std::string &parameter, const std::string &value, const std::string &what)
    {
      parameter_error(parameter, value,
                      "the Monte Carlo's field grid reaches " + what +
                        ": the Monte Carlo has no electrodes, an electron would leave the field through a wall held "
                        "at a potential (use a periodic cell, or Auxiliary electrodes/Enabled = false)");
    }
  } // namespace

  void check_field_grid_clear_of_electrodes(const Scenario &scenario, const layout::StreamLayout &layout,
                                            const std::string &parameter, const std::string &value)
  {
    const auto grid = solver::stream_field_grid(layout, scenario.monte_carlo.field_grid);
    for (const auto &frame : meshing::auxiliary_electrodes(layout, scenario.electrodes))
      if (grid_reaches_frame(grid, frame))
        refuse(parameter, value, "the auxiliary electrode of layer " + std::to_string(frame.layer));
    if (meshing::has_electrode_wall(layout, scenario.electrodes))
      {
        const auto box = meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes);
        for (int d = 0; d < 2; ++d)
          if (grid.lower[d] < box[0][d] || grid.upper[d] > box[1][d])
            refuse(parameter, value, "the electrode wall");
      }
  }

  McStreamField sample_field_for_mc(const Scenario &scenario, const layout::StreamLayout &layout,
                                    const solver::Electrostatics &es, RunContext &context)
  {
    const auto &mcp          = scenario.monte_carlo;
    const double lid_height_m = meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes)[1][2];
    check_field_grid_clear_of_electrodes(scenario, layout, "Monte Carlo/Field", "electrostatics");
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
