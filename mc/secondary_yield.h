#pragma once
// Slow secondary electrons released where an electron crosses a W surface (doc/mc.md,
// "Secondary electrons"). Expected number per crossing at energy E and angle theta to the normal:
//   delta(E, theta) = delta(E) / max(cos theta, cos_min)
// with the universal yield curve of Lin & Joy, Surf. Interface Anal. 37 (2005) 895:
//   delta(E) / delta_max = 1.28 (E/E_max)^-0.67 (1 - exp(-1.614 (E/E_max)^1.67)),
// and W's delta_max, E_max from the CRC Handbook table "Secondary electron emission". The
// 1/cos theta law (path length within the escape depth) diverges at grazing incidence: it is
// clipped at cos_min. The same law is applied on the way out (backscattered and transmitted
// electrons release secondaries through the surface they leave: Seiler, J. Appl. Phys. 54 (1983) R1).
namespace mpstream::mc
{
  struct SecondaryYield
  {
    double delta_max = 1.4;   // W, CRC Handbook
    double E_max_eV  = 650;   // W, CRC Handbook
    double cos_min   = 0.1;   // clip of the 1/cos theta law (grazing crossings)

    // Normal-incidence yield at energy E (eV).
    double at_normal(double E_eV) const;
    // Yield of one crossing at energy E with |cos theta| = cos_theta to the surface normal.
    double of_crossing(double E_eV, double cos_theta) const;
  };
} // namespace mpstream::mc
