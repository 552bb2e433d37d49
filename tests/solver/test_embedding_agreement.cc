// Issue 5, item 2: the finite patch embedded by the electrode wall (patch-centre potentials,
// solved exactly) against the periodic lateral cell (the laterally infinite stream), backscatter
// only, on the paper's 20 um, 5-layer stream with 12 rows x 11 spheres (the periodic cell needs
// an even row count), 132 kV, 46.2 kW, 0.3 x 4.67 mm focal spot, 100 m/s.
// Reference: the periodic cell. Tolerance: the probe sphere's potential within 2 % (the issue's
// requirement). Both on the same coarse mesh resolution (3 per radius, growth 0.5) so that the
// test stays quick; the default-mesh figures are in doc/validation.md (periodic -90.07 kV, wall
// -89.54 kV, -0.6 %). Run on 2 ranks (ctest): both layouts distributed.
// Label: verification.
#include "electrostatics_test_meshes.h"
#include "solver/stream_charging.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;

  layout::LayoutParameters stream(bool periodic)
  {
    layout::LayoutParameters p; // defaults: the paper's stream (inputs/hybrid_132kV.prm)
    p.rows     = 12;
    p.periodic = periodic;
    return p;
  }

  // Probe-sphere potential (V) of the backscatter-only state.
  double probe_potential(bool periodic, const std::string &name)
  {
    const auto layout = layout::make_stream_layout(stream(periodic));
    meshing::ElectrodeParameters electrodes;
    electrodes.shape = meshing::ElectrodeShape::wall;
    const meshing::EnclosureParameters enclosure; // anode at 0, grounded top at 100 um
    const auto file = test_meshes::make_mesh(layout, enclosure, test_meshes::coarse_resolution(), name, electrodes);
    ElectrostaticsParameters prm;
    prm.wall_node_heights = meshing::wall_node_heights(layout, electrodes, enclosure);
    Electrostatics es(MPI_COMM_WORLD, file, layout, prm);
    EXPECT_EQ(es.has_electrode_wall(), !periodic);
    ChargingSettings s;
    s.mode          = ChargingMode::backscatter_only;
    s.plate_upper_z = enclosure.height;
    s.wall_gap_m    = electrodes.gap;
    StreamCharging charging(es, layout, OperatingPoint{}, ChargingCoefficients::uniform(0.172), s, nullptr);
    const auto r = charging.run();
    if (!periodic)
      {
        EXPECT_LT(r.model_error, 1e-6); // every wall node at its centre mean (direct sampling)
      }
    return r.backscatter_only.potentials[layout.probe_sphere];
  }
} // namespace

TEST(EmbeddingAgreement, ElectrodeWallMatchesPeriodicCellAtTheProbe)
{
  const double periodic = probe_potential(true, "embedding_periodic");
  const double wall     = probe_potential(false, "embedding_wall");
  std::printf("probe sphere, backscatter only: periodic cell %.5e V, electrode wall %.5e V (%+.2f %%)\n", periodic,
              wall, 100 * (wall / periodic - 1));
  EXPECT_LT(periodic, -5e4); // a charged stream at tens of kV (paper: |dU| ~ 2/3 of 132 kV)
  EXPECT_NEAR(wall, periodic, 0.02 * std::abs(periodic));
}
