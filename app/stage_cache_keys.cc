#include "app/stage_cache_keys.h"

#include "solver/stream_charging.h"

namespace mpstream::app
{
  namespace
  {
    // The Geometry section and the sphere file it may read (its contents, not only its name).
    CacheKey &geometry(CacheKey &key, const Scenario &scenario, const layout::StreamLayout &layout)
    {
      key.sections({"Geometry"}).file("sphere file", scenario.layout.sphere_file);
      return key.spheres("layout", layout);
    }
  } // namespace

  CacheKey mesh_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout)
  {
    CacheKey key(context, "mesh");
    geometry(key, scenario, layout);
    // The enclosure, the electrode wall's frames and the mesh sizes shape the mesh; mesh.vtu and
    // mesh.msh are part of the product only when written.
    key.sections({"Mesh", "Enclosure", "Auxiliary electrodes"}).entries("Output", {"Write VTU", "Write mesh file"});
    return key;
  }

  CacheKey responses_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout,
                         double space_charge_C_per_m3)
  {
    CacheKey key(context, "responses");
    key.includes(mesh_key(scenario, context, layout));
    // The operator (FE degree, curved spheres, tolerances, surface-field recovery): the whole
    // Electrostatics section, and its charge file. The space charge the operator holds when
    // the unit solves run enters the force form's constant source.
    key.sections({"Electrostatics"}).file("sphere charge file", scenario.electrostatics.sphere_charge_file);
    key.number("operator space charge density", space_charge_C_per_m3);
    // Which tables (backscatter only: the centre means; else the surface points' rows), where
    // the points are, and the electrode model's windows. Not the mode's own settings (cap,
    // tolerance, emission, time steps, q, bounds, sweeps), which act on the tables afterwards.
    key.entries("Charging", {"Electrodes", "Patch centre radius [pitches]", "Patch points", "Surface points"});
    // The probed field cap keeps only the electrode model's tables, as backscatter only does.
    const bool full = solver::uses_point_responses(scenario.charging.settings);
    return key.line(full ? "tables: surface points (field cap, Murphy-Good, dwell)" : "tables: backscatter only");
  }

  CacheKey charging_mc_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout,
                           const layout::StreamLayout &mc_layout)
  {
    CacheKey key(context, "charging-monte-carlo");
    geometry(key, scenario, layout);
    // Transport, physics, seed and histories; not the threads (tallies are the same for any
    // count) nor the mc command's voltage sweep.
    key.sections({"Monte Carlo"}, {"Threads", "Tube voltages [V]"});
    key.entries("Operating point", {"Tube voltage [V]"});
    key.entries("Charging", {"Monte Carlo embedding"});
    return key.spheres("Monte Carlo stream", mc_layout).line("field: none");
  }

  CacheKey stream_mc_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &stream)
  {
    CacheKey key(context, "stream-monte-carlo");
    geometry(key, scenario, stream); // the stream the MC runs over (made periodic or not)
    // The MC runs with the default transport and seed (solver/mc_heat_source.h), over the
    // focal spot's lateral box, into grids per W of input power: the power is downstream.
    key.entries("Thermal", {"Whole stream Monte Carlo histories", "Monte Carlo grid cells per axis",
                            "Whole stream lateral boundary"});
    key.entries("Operating point", {"Tube voltage [V]", "Focal spot width [m]", "Focal spot length [m]"});
    return key;
  }

  CacheKey stream_transient_key(const Scenario &scenario, const RunContext &context,
                                const layout::StreamLayout &stream, std::size_t history_samples)
  {
    CacheKey key(context, "stream-transient");
    key.includes(stream_mc_key(scenario, context, stream));
    // The power and the dwell (operating point) and every thermal setting except the threads.
    key.sections({"Operating point"}).sections({"Thermal"}, {"Threads"});
    return key.line("temperature history samples " + std::to_string(history_samples));
  }
} // namespace mpstream::app
