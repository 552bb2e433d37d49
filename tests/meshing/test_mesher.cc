// Gmsh meshes of small streams: physical groups, vacuum volume, quality, periodic faces, and
// the geometries the mesher must refuse.
#include "common/error.h"
#include "tests/common/input_error_of.h"
#include "meshing/mesher.h"
#include "meshing/physical_tags.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

using namespace mpstream;
using namespace mpstream::meshing;
using namespace mpstream::layout;
using mpstream::testing::input_error_of;

namespace
{
  // A 3 x 4 two-layer stream in a 70 x 70 x 40 um box: seconds to mesh.
  struct SmallStream
  {
    LayoutParameters layout;
    EnclosureParameters enclosure;
    ElectrodeParameters electrodes;
    MeshParameters mesh;
    SmallStream()
    {
      layout.rows             = 3;
      layout.spheres_per_row  = 4;
      layout.n_layers         = 2;
      layout.stream_thickness = 10e-6;
      enclosure.size_x = enclosure.size_y = 70e-6;
      enclosure.height = 40e-6;
      mesh.elements_per_radius = 3;
      mesh.maximum_size        = 8e-6;
    }
  };

  std::string output(const std::string &name)
  {
    const auto dir = std::filesystem::temp_directory_path() / "mpstream_test_mesher";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
  }

  // Physical tags of the surfaces named in $PhysicalNames of an MSH 2.2 file.
  std::map<int, std::string> physical_names(const std::string &file)
  {
    std::ifstream in(file);
    std::string line;
    std::map<int, std::string> names;
    while (std::getline(in, line) && line != "$PhysicalNames")
      ;
    std::getline(in, line);
    const int n = std::stoi(line);
    for (int i = 0; i < n; ++i)
      {
        int dim, tag;
        std::string name;
        in >> dim >> tag >> name;
        names[tag + 10000 * dim] = name;
      }
    return names;
  }
} // namespace

TEST(Mesher, SmallStreamHasEveryPhysicalGroupAndTheRightVolume)
{
  SmallStream s;
  const auto layout = make_stream_layout(s.layout);
  const auto msh    = output("small.msh");
  const auto report = build_stream_mesh(layout, s.enclosure, s.electrodes, s.mesh, msh, output("small.vtu"));

  // 12 spheres + 2 electrode frames + anode + enclosure.
  EXPECT_EQ(report.n_physical_surfaces, 12u + 2u + 2u);
  const auto names = physical_names(msh);
  EXPECT_EQ(names.at(30000 + tags::vacuum), "\"vacuum\"");
  EXPECT_EQ(names.at(20000 + tags::anode), "\"anode\"");
  EXPECT_EQ(names.at(20000 + tags::enclosure), "\"enclosure\"");
  for (unsigned int n = 0; n < 12; ++n)
    EXPECT_EQ(names.at(20000 + tags::sphere(n)), "\"sphere_" + std::to_string(n) + "\"");
  for (unsigned int k = 0; k < 2; ++k)
    EXPECT_EQ(names.at(20000 + tags::electrode(k)), "\"electrode_" + std::to_string(k) + "\"");

  // Vacuum = box - spheres - frames within 0.5 % (the goal); polyhedral spheres are
  // inscribed, so the meshed vacuum is slightly larger.
  EXPECT_NEAR(report.vacuum_volume / report.expected_vacuum_volume, 1.0, 5e-3);
  EXPECT_GE(report.vacuum_volume, report.expected_vacuum_volume);

  // Quality (radius ratio 3 r_in / r_circ, 1 = regular). What the P2 solver needs: no
  // degenerate tet (ratio > 1e-3, dihedral angles > 0.5 deg), poor tets (ratio < 0.1) fewer
  // than 1 in 1000, and a mean typical of a good Delaunay mesh (> 0.6).
  EXPECT_GT(report.min_quality, 1e-3);
  EXPECT_GT(report.min_dihedral_angle_deg, 0.5);
  EXPECT_LT(report.n_poor_elements, report.n_elements / 1000);
  EXPECT_GT(report.mean_quality, 0.6);
  EXPECT_TRUE(std::filesystem::exists(output("small.vtu")));
}

TEST(Mesher, PeriodicCellFacesAreMatchedNodeForNode)
{
  SmallStream s;
  s.layout.rows            = 2;
  s.layout.spheres_per_row = 3;
  s.layout.periodic        = true;
  const auto layout = make_stream_layout(s.layout);
  const auto msh    = output("periodic.msh");
  const auto report = build_stream_mesh(layout, s.enclosure, s.electrodes, s.mesh, msh, "");
  EXPECT_EQ(report.n_periodic_pairs, 2u); // one face pair in x, one in y

  // Read nodes and the $Periodic section; every slave node is its master shifted by a cell.
  std::ifstream in(msh);
  std::string line;
  std::map<std::size_t, std::array<double, 3>> nodes;
  std::size_t checked = 0;
  while (std::getline(in, line))
    {
      if (line == "$Nodes")
        {
          std::size_t n;
          in >> n;
          for (std::size_t i = 0; i < n; ++i)
            {
              std::size_t tag;
              std::array<double, 3> x;
              in >> tag >> x[0] >> x[1] >> x[2];
              nodes[tag] = x;
            }
        }
      if (line == "$Periodic")
        {
          int n_links;
          in >> n_links;
          for (int l = 0; l < n_links; ++l)
            {
              int dim, slave, master;
              in >> dim >> slave >> master;
              std::string word;
              in >> word;
              std::size_t n_nodes;
              if (word == "Affine")
                {
                  std::getline(in, line);
                  in >> n_nodes;
                }
              else
                n_nodes = std::stoul(word);
              for (std::size_t i = 0; i < n_nodes; ++i)
                {
                  std::size_t a, b;
                  in >> a >> b;
                  const auto &p = nodes.at(a), &q = nodes.at(b);
                  const double dx = std::abs(p[0] - q[0]), dy = std::abs(p[1] - q[1]);
                  const bool x_shift = std::abs(dx - layout.periodic_cell->length_x()) < 1e-12 && dy < 1e-12;
                  const bool y_shift = std::abs(dy - layout.periodic_cell->length_y()) < 1e-12 && dx < 1e-12;
                  EXPECT_TRUE(x_shift || y_shift) << "node " << a << " / " << b;
                  EXPECT_NEAR(p[2], q[2], 1e-12);
                  ++checked;
                }
            }
        }
    }
  EXPECT_GT(checked, 50u);
  // Spheres cut by the cell's sides keep one physical group each (their pieces).
  const auto names = physical_names(msh);
  for (unsigned int n = 0; n < layout.spheres.size(); ++n)
    EXPECT_TRUE(names.count(20000 + tags::sphere(n))) << "sphere " << n;
  EXPECT_NEAR(report.vacuum_volume / report.expected_vacuum_volume, 1.0, 5e-3);
}

TEST(MesherErrors, SpheresOnTheAnodeCannotFloat)
{
  SmallStream s;
  s.layout.anode_gap = 0;
  const auto layout = make_stream_layout(s.layout);
  const auto message = input_error_of([&] { check_meshable(layout, s.enclosure, s.electrodes, s.mesh); });
  EXPECT_NE(message.find("rests on or nearly touches the anode"), std::string::npos) << message;
}

TEST(MesherErrors, TouchingSpheresAreRefused)
{
  SmallStream s;
  s.layout.lateral_clearance = 0;
  s.layout.n_layers          = 1;
  const auto layout = make_stream_layout(s.layout);
  const auto message = input_error_of([&] { check_meshable(layout, s.enclosure, s.electrodes, s.mesh); });
  EXPECT_NE(message.find("touch"), std::string::npos) << message;
}

TEST(MesherErrors, SpheresOutsideTheEnclosureAreRefused)
{
  SmallStream s;
  s.enclosure.height = 8e-6; // below the top layer
  const auto layout = make_stream_layout(s.layout);
  const auto message = input_error_of([&] { check_meshable(layout, s.enclosure, s.electrodes, s.mesh); });
  EXPECT_NE(message.find("not inside the enclosure"), std::string::npos) << message;
}

TEST(MesherErrors, ElectrodesOutsideTheEnclosureAreRefused)
{
  SmallStream s;
  s.electrodes.width = 30e-6;
  const auto layout = make_stream_layout(s.layout);
  const auto message = input_error_of([&] { check_meshable(layout, s.enclosure, s.electrodes, s.mesh); });
  EXPECT_NE(message.find("does not fit inside the enclosure"), std::string::npos) << message;
}

TEST(Mesher, SecondOrderMeshHasTenNodeTetrahedra)
{
  SmallStream s;
  s.layout.rows            = 1;
  s.layout.spheres_per_row = 2;
  s.layout.n_layers        = 1;
  s.layout.kind            = LayoutKind::monolayer;
  s.mesh.order             = 2;
  const auto layout = make_stream_layout(s.layout);
  const auto msh    = output("order2.msh");
  const auto report = build_stream_mesh(layout, s.enclosure, s.electrodes, s.mesh, msh, "");
  EXPECT_GT(report.n_elements, 0u);
  // MSH 2.2 element lines: "tag type n_tags tags... nodes...": type 11 is the 10-node tet.
  std::ifstream in(msh);
  std::string line;
  while (std::getline(in, line) && line != "$Elements")
    ;
  std::getline(in, line);
  std::size_t tet10 = 0, tet4 = 0;
  while (std::getline(in, line) && line != "$EndElements")
    {
      std::istringstream words(line);
      int tag, type;
      words >> tag >> type;
      tet10 += type == 11;
      tet4 += type == 4;
    }
  EXPECT_EQ(tet10, report.n_elements);
  EXPECT_EQ(tet4, 0u);
}

// Graded above the stream (Mesh/Maximum element size above the stream): a lid 25 times as far
// (1 mm instead of 40 um) costs few nodes, where the ungraded 8 um cap would need ~25 times the
// volume's nodes; the periodic cell (laterally infinite stream) is where a far lid matters.
// A property of the size field (counts, not an accuracy reference).
TEST(Mesher, FarLidWithGradedSizeAboveTheStreamCostsFewNodes)
{
  SmallStream s;
  s.layout.rows            = 2;
  s.layout.spheres_per_row = 3;
  s.layout.periodic        = true;
  const auto layout = make_stream_layout(s.layout);
  const auto near   = build_stream_mesh(layout, s.enclosure, s.electrodes, s.mesh, output("near_lid.msh"), "");
  s.enclosure.height               = 1e-3;
  s.mesh.maximum_size_above_stream = 0.5e-3;
  const auto far = build_stream_mesh(layout, s.enclosure, s.electrodes, s.mesh, output("far_lid.msh"), "");
  EXPECT_LT(far.n_nodes, 1.2 * near.n_nodes); // measured: 3031 and 3081
  std::cout << near.n_nodes << " nodes with the lid at 40 um, " << far.n_nodes << " at 1 mm\n";
  EXPECT_NEAR(far.vacuum_volume / far.expected_vacuum_volume, 1, 1e-3);
}
