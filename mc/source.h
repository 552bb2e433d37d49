#pragma once
// Primary electrons: energy e U_tube, direction at polar angle `incidence_angle_rad` from the
// downward normal (-z) in the x-z plane, start points uniform over a lateral rectangle just
// above the highest body surface (the periodic cell, the sphere patch, or one point for bulk).
#include "mc/geometry.h"

namespace mpstream::mc
{
  struct Source
  {
    double energy_eV            = 100e3;
    double incidence_angle_rad  = 0;
    double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0; // start rectangle (equal bounds: a line/point)
    double z_start = 1e-9;                          // m

    // Uniform over the periodic cell if any, else over the spheres' lateral bounding box,
    // else (bulk) the origin. Checks the energy and angle.
    static Source for_geometry(const Geometry &geometry, double energy_eV,
                               double incidence_angle_rad = 0);
    void validate() const;
  };
} // namespace mpstream::mc
