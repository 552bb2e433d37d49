// The secondary-electron model (mc/secondary_yield.h) in a thick W target, for comparison with
// measured total secondary yields: a pencil beam at normal incidence on the top of a W sphere of
// radius 200 um (no anode), whose surface is flat and whose depth is infinite on the scale of the
// electron range up to 132 keV. Prints eta (backscatter) and the model's total secondary yield
// delta = secondaries per primary (entering primary plus backscattered electrons leaving),
// with the primaries' share; Yadav & Shanker, Pramana 68 (2007) 507 measured for W at 8-28 keV
// eta ~ 0.50 and secondaries ~ 20 % of the total electron yield eta + delta, i.e. delta ~ 0.125.
// Prints numbers, asserts nothing (doc/mc.md, "Secondary electrons").
// Usage: mc_secondary_yield [HISTORIES=20000]
#include "mc/summary.h"
#include "mc/transport.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
  using namespace mpstream::mc;
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
  const double R        = 200e-6;
  mpstream::layout::StreamLayout layout;
  layout.spheres       = {{{0.0, 0.0, -R}, R, 0}};
  layout.layer_heights = {-R};
  layout.anode_present = false;
  const Geometry target = Geometry::from_layout(layout);
  PhysicsOptions po;
  po.max_energy_eV = 300e3;
  const PhysicsTables tables(tungsten(), po);
  TransportOptions options;
  options.secondary_emission = true;
  const SecondaryYield y;
  std::printf("E_keV,eta,delta_total,delta_primary_normal,delta_total_over_measured_8_28keV\n");
  for (const double E : {8e3, 20e3, 28e3, 132e3})
    {
      Source pencil = Source::for_geometry(target, E);
      pencil.x_lo = pencil.x_hi = pencil.y_lo = pencil.y_hi = 0.0;
      const Tallies t     = Transport(target, tables, pencil, options).run(n, 2);
      const Summary s     = summarize(t, E);
      const double delta = static_cast<double>(t.sphere_secondaries_ue[0]) / micro_electrons / n;
      std::printf("%g,%.4f,%.4f,%.4f,%.2f\n", E / 1e3, s.eta.value, delta, y.at_normal(E), delta / 0.125);
    }
  return 0;
}
