// Stage "mesh": the stream layout and its Gmsh mesh (rank 0 meshes; the others wait).
#include "app/response_progress.h"
#include "app/run_on_root.h"
#include "app/stage_cache_keys.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_parse.h"
#include "common/wall_clock.h"
#include "meshing/mesher.h"

#include <cmath>
#include <fstream>
#include <iterator>

namespace mpstream::app
{
  const layout::StreamLayout &ensure_layout(const Scenario &scenario, RunContext &context)
  {
    if (context.layout)
      return *context.layout;
    context.layout = layout::make_stream_layout(scenario.layout);
    const auto &layout = *context.layout;
    context.log << "[layout] " << layout.spheres.size() << " spheres in "
                << layout.layer_heights.size() << " layer(s), probe sphere " << layout.probe_sphere
                << (layout.periodic_cell ? ", periodic lateral cell" : "") << std::endl;
    run_on_root(context.comm, [&] { layout::write_layout_csv(layout, context.path("spheres.csv").string()); });
    auto &s               = context.stage_summary("layout");
    s["n_spheres"]        = layout.spheres.size();
    s["n_layers"]         = layout.layer_heights.size();
    s["probe_sphere"]     = layout.probe_sphere;
    s["min_sphere_gap_m"] = layout.spheres.size() > 1 ? layout.minimum_gap() : 0.0;
    return layout;
  }

  solver::ElectrostaticsParameters electrostatics_parameters(const Scenario &scenario,
                                                             const layout::StreamLayout &layout)
  {
    auto p              = scenario.electrostatics.solver;
    p.wall_node_heights = meshing::wall_node_heights(layout, scenario.electrodes, scenario.enclosure);
    return p;
  }

  solver::Electrostatics &ensure_electrostatics(const Scenario &scenario, RunContext &context)
  {
    if (context.electrostatics)
      return *context.electrostatics;
    if (context.mesh_file.empty())
      run_mesh_stage(scenario, context);
    const auto &layout     = ensure_layout(scenario, context);
    const auto parameters = electrostatics_parameters(scenario, layout);
    if (context.mesh_in_memory) // meshed in this run: handed over without the file's parse
      context.electrostatics = std::make_unique<solver::Electrostatics>(
        context.comm, *context.mesh_in_memory, layout, parameters, &std::cerr);
    else
      context.electrostatics = std::make_unique<solver::Electrostatics>(
        context.comm, context.mesh_file.string(), layout, parameters, &std::cerr);
    context.mesh_in_memory.reset();
    context.electrostatics->set_progress_callback(progress_printer(context.log));
    return *context.electrostatics;
  }

  void check_mesh_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    meshing::check_meshable(layout, scenario.enclosure, scenario.electrodes, scenario.mesh);
  }

  namespace
  {
    std::string file_bytes(const std::filesystem::path &file)
    {
      std::ifstream in(file, std::ios::binary);
      return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    // Stage cache (app/stage_cache.h): the mesh files and the quality report of an earlier run
    // with the same mesh inputs, put back in place instead of meshing again. True if reused.
    bool reuse_cached_mesh(const CacheKey &key, const Scenario &scenario, RunContext &context)
    {
      const auto t0 = WallClock::now();
      auto bytes    = cached_product(context, key);
      if (!bytes)
        return false;
      run_on_root(context.comm, [&] {
        Json report;
        try
          {
            BinaryRecordReader in(std::move(*bytes));
            report = parse_json(in.text("mesh summary"));
            write_file_atomically(context.mesh_file, in.text("mesh.msh"));
            const auto vtu = in.text("mesh.vtu");
            if (scenario.output.write_vtu)
              write_file_atomically(context.path("mesh.vtu"), vtu);
            in.expect_end();
          }
        catch (const InputError &e)
          {
            throw cache_refusal(context, key, e.what());
          }
        auto &s = context.stage_summary("mesh");
        for (const auto &[name, value] : *report.as_object())
          s[name] = value;
        s["mesh_time_s"] = seconds_since(t0);
      });
      return true;
    }

    void store_mesh(const CacheKey &key, const Scenario &scenario, RunContext &context)
    {
      if (!context.use_cache)
        return;
      BinaryRecordWriter out;
      run_on_root(context.comm, [&] { // only rank 0 has the report and reads the files
        out.put_text("mesh summary", context.stage_summary("mesh").dump());
        out.put_text("mesh.msh", file_bytes(context.mesh_file));
        out.put_text("mesh.vtu", scenario.output.write_vtu ? file_bytes(context.path("mesh.vtu")) : std::string());
      });
      store_product(context, key, out.bytes()); // rank 0 writes its bytes
    }
  } // namespace

  void run_mesh_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &layout = ensure_layout(scenario, context);
    // Every rank checks, so that bad input fails everywhere with the same message.
    check_mesh_inputs(scenario, layout);
    context.mesh_file = context.path("mesh.msh");
    const auto key    = mesh_key(scenario, context, layout);
    context.mesh_in_memory.reset();
    if (reuse_cached_mesh(key, scenario, context))
      return;
    // Rank 0 meshes; a Gmsh failure there ends the run on every rank (run_on_root).
    context.mesh_in_memory = std::make_unique<meshing::VolumeMesh>();
    run_on_root(context.comm, [&] {
      context.log << "[mesh] meshing with Gmsh (" << scenario.mesh.elements_per_radius
                  << " elements per radius) ..." << std::endl;
      const auto report = meshing::build_stream_mesh(
        layout, scenario.enclosure, scenario.electrodes, scenario.mesh, context.mesh_file.string(),
        scenario.output.write_vtu ? context.path("mesh.vtu").string() : std::string(),
        context.mesh_in_memory.get());
      context.log << "[mesh] " << report.n_elements << " tetrahedra, " << report.n_nodes
                  << " nodes, min quality " << report.min_quality << ", min dihedral angle "
                  << report.min_dihedral_angle_deg << " deg, " << report.seconds << " s"
                  << std::endl;
      auto &s = context.stage_summary("mesh");
      s["n_elements"]                  = report.n_elements;
      s["n_nodes"]                     = report.n_nodes;
      s["n_boundary_triangles"]        = report.n_boundary_triangles;
      s["n_physical_surfaces"]         = report.n_physical_surfaces;
      s["mesh_min_quality"]            = report.min_quality;
      s["mesh_mean_quality"]           = report.mean_quality;
      s["mesh_min_dihedral_angle_deg"] = report.min_dihedral_angle_deg;
      s["mesh_poor_elements"]          = report.n_poor_elements;
      s["mesh_vacuum_volume_m3"]       = report.vacuum_volume;
      s["mesh_vacuum_volume_expected_m3"] = report.expected_vacuum_volume;
      s["mesh_periodic_face_pairs"]    = report.n_periodic_pairs;
      s["mesh_time_s"]                 = report.seconds;
    });
    store_mesh(key, scenario, context);
  }
} // namespace mpstream::app
