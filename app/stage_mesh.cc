// Stage "mesh": the stream layout and its Gmsh mesh (rank 0 meshes; the others wait).
#include "app/response_progress.h"
#include "app/run_on_root.h"
#include "app/stage_cache_keys.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/binary_record.h"
#include "common/error.h"
#include "common/json_parse.h"
#include "common/wall_clock.h"
#include "meshing/mesher.h"

#include <cmath>
#include <cstdint>
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
    if (context.mesh_in_memory) // meshed or reused in this run: handed over without a file to parse
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

    // The mesher's mesh as records: what the solver takes in memory, so that a reused mesh
    // needs no MSH parse and gives the solver the very mesh a fresh run gives it.
    void put_volume_mesh(BinaryRecordWriter &out, const meshing::VolumeMesh &mesh)
    {
      std::vector<double> nodes;
      nodes.reserve(3 * mesh.nodes.size());
      for (const auto &x : mesh.nodes)
        nodes.insert(nodes.end(), x.begin(), x.end());
      const auto flat = [](const auto &arrays) {
        std::vector<std::uint64_t> v;
        for (const auto &a : arrays)
          v.insert(v.end(), a.begin(), a.end());
        return v;
      };
      out.put("mesh nodes [m]", nodes);
      out.put("mesh tetrahedra", flat(mesh.tetrahedra));
      out.put("mesh boundary triangles", flat(mesh.boundary_triangles));
      out.put("mesh boundary tags", std::vector<std::uint64_t>(mesh.boundary_tags.begin(), mesh.boundary_tags.end()));
    }

    meshing::VolumeMesh read_volume_mesh(BinaryRecordReader &in)
    {
      meshing::VolumeMesh mesh;
      const auto nodes = in.doubles("mesh nodes [m]");
      const auto tets  = in.counts("mesh tetrahedra");
      const auto tris  = in.counts("mesh boundary triangles");
      const auto tags  = in.counts("mesh boundary tags");
      if (nodes.size() % 3 != 0 || tets.size() % 4 != 0 || tris.size() != 3 * tags.size())
        throw InputError("its mesh arrays have inconsistent lengths");
      for (std::size_t i = 0; i < nodes.size(); i += 3)
        mesh.nodes.push_back({nodes[i], nodes[i + 1], nodes[i + 2]});
      const auto node = [&](std::uint64_t k) {
        if (k >= mesh.nodes.size())
          throw InputError("its mesh refers to node " + std::to_string(k) + " of " + std::to_string(mesh.nodes.size()));
        return static_cast<unsigned int>(k);
      };
      for (std::size_t i = 0; i < tets.size(); i += 4)
        mesh.tetrahedra.push_back({node(tets[i]), node(tets[i + 1]), node(tets[i + 2]), node(tets[i + 3])});
      for (std::size_t i = 0; i < tris.size(); i += 3)
        mesh.boundary_triangles.push_back({node(tris[i]), node(tris[i + 1]), node(tris[i + 2])});
      mesh.boundary_tags.assign(tags.begin(), tags.end());
      return mesh;
    }

    // Stage cache (app/stage_cache.h): the mesh, its files and the quality report of an earlier
    // run with the same mesh inputs, put back in place instead of meshing again. True if reused.
    bool reuse_cached_mesh(const CacheKey &key, const Scenario &scenario, RunContext &context)
    {
      const auto t0 = WallClock::now();
      auto bytes    = cached_product(context, key);
      if (!bytes)
        return false;
      context.mesh_in_memory = std::make_unique<meshing::VolumeMesh>(); // rank 0's is filled
      run_on_root(context.comm, [&] {
        Json report;
        try
          {
            BinaryRecordReader in(std::move(*bytes));
            report                  = parse_json(in.text("mesh summary"));
            *context.mesh_in_memory = read_volume_mesh(in);
            const auto msh          = in.text("mesh.msh");
            if (scenario.output.write_mesh_file)
              write_file_atomically(context.mesh_file, msh);
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
        put_volume_mesh(out, *context.mesh_in_memory);
        out.put_text("mesh.msh", scenario.output.write_mesh_file ? file_bytes(context.mesh_file) : std::string());
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
        layout, scenario.enclosure, scenario.electrodes, scenario.mesh,
        scenario.output.write_mesh_file ? context.mesh_file.string() : std::string(),
        scenario.output.write_vtu ? context.path("mesh.vtu").string() : std::string(),
        context.mesh_in_memory.get());
      context.log << "[mesh] " << report.n_elements << " tetrahedra, " << report.n_nodes
                  << " nodes, min quality " << report.min_quality << ", min dihedral angle "
                  << report.min_dihedral_angle_deg << " deg, " << report.seconds << " s"
                  << std::endl;
      // Gmsh's Delaunay leaves a flat tetrahedron now and then (four nodes nearly in a plane,
      // e.g. on the anode; its optimiser keeps it). Nothing stops the run, but the user should
      // know.
      if (report.min_quality < meshing::MeshReport::flat_quality)
        context.log << "[mesh] warning: a flat tetrahedron (quality " << report.min_quality << " < "
                    << meshing::MeshReport::flat_quality << ") slows the solver and costs accuracy; a slightly "
                    << "different Mesh/Size growth rate or Elements per radius usually avoids it"
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
