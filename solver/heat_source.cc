#include "solver/heat_source.h"

#include "common/constants.h"
#include "common/error.h"

#include <cmath>
#include <sstream>
#include <utility>

namespace mpstream::solver
{
  namespace
  {
    void require_positive(const char *name, double v)
    {
      if (!(v > 0.0))
        {
          std::ostringstream msg;
          msg << "Heat source: '" << name << "' = " << v << " must be > 0";
          throw InputError(msg.str());
        }
    }
  } // namespace

  double sphere_power(double P_input, double S_muP, double r, double W_cs, double L_cs)
  {
    require_positive("Sphere radius [m]", r);
    require_positive("Focal spot width [m]", W_cs);
    require_positive("Focal spot length [m]", L_cs);
    const double area_per_sphere = 2.0 * std::sqrt(3.0) * r * r;
    return S_muP * P_input * area_per_sphere / (W_cs * L_cs);
  }

  PowerDensity uniform_source(double r, double P)
  {
    require_positive("Sphere radius [m]", r);
    const double q = P / (4.0 / 3.0 * constants::pi * r * r * r);
    return [q, r](const std::array<double, 3> &x) {
      return x[0] * x[0] + x[1] * x[1] + x[2] * x[2] <= r * r * (1 + 1e-12) ? q : 0.0;
    };
  }

  double exponential_depth_volume(double r, double lambda)
  {
    // Column through the sphere at distance rho from the axis has length 2 s, s = sqrt(r^2 -
    // rho^2); its integral is lambda (1 - exp(-2 s / lambda)). With rho d rho = -s ds:
    // V = 2 pi lambda [r^2/2 - int_0^r s exp(-a s) ds], a = 2 / lambda.
    // For a r << 1 the closed form cancels catastrophically: use its Taylor series,
    // r^2/2 - int = r^2 sum_{k>=1} (-1)^(k+1) (a r)^k / (k! (k+2)).
    const double a = 2.0 / lambda, x = a * r;
    double       excess = 0.0;
    if (x < 0.5)
      {
        double term = 1.0; // (a r)^k / k!
        for (int k = 1; k <= 25; ++k)
          {
            term *= x / k;
            excess += (k % 2 ? 1.0 : -1.0) * term / (k + 2);
          }
        excess *= r * r;
      }
    else
      excess = 0.5 * r * r - (1.0 - std::exp(-x) * (1.0 + x)) / (a * a);
    return 2.0 * constants::pi * lambda * excess;
  }

  PowerDensity exponential_depth_source(double r, double lambda, double P)
  {
    require_positive("Sphere radius [m]", r);
    require_positive("Source decay length [m]", lambda);
    const double q0 = P / exponential_depth_volume(r, lambda);
    return [q0, r, lambda](const std::array<double, 3> &x) {
      const double rho2 = x[0] * x[0] + x[1] * x[1];
      if (rho2 + x[2] * x[2] > r * r * (1 + 1e-12))
        return 0.0;
      const double z_entry = std::sqrt(std::max(r * r - rho2, 0.0));
      return q0 * std::exp(-(z_entry - x[2]) / lambda);
    };
  }

  double cell_fraction_inside_sphere(const CartesianGrid &g, std::size_t i, std::size_t j,
                                     std::size_t k, double r)
  {
    constexpr int n = 10;
    const std::array<std::size_t, 3> ijk{{i, j, k}};
    std::array<double, 3> lo{}, h{};
    for (int d = 0; d < 3; ++d)
      {
        h[d]  = (g.upper[d] - g.lower[d]) / g.n_cells[d];
        lo[d] = g.lower[d] + ijk[d] * h[d];
      }
    int inside = 0;
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        for (int c = 0; c < n; ++c)
          {
            const double x = lo[0] + (a + 0.5) * h[0] / n, y = lo[1] + (b + 0.5) * h[1] / n,
                         z = lo[2] + (c + 0.5) * h[2] / n;
            inside += (x * x + y * y + z * z <= r * r);
          }
    return static_cast<double>(inside) / (n * n * n);
  }

  PowerDensity sphere_grid_source(CartesianGrid grid, double r, double scale)
  {
    require_positive("Sphere radius [m]", r);
    if (grid.values.size() != grid.size())
      throw InputError("Heat source: CartesianGrid has " + std::to_string(grid.values.size()) +
                       " values for " + std::to_string(grid.size()) + " cells");
    for (std::size_t k = 0; k < grid.n_cells[2]; ++k)
      for (std::size_t j = 0; j < grid.n_cells[1]; ++j)
        for (std::size_t i = 0; i < grid.n_cells[0]; ++i)
          {
            const double f = cell_fraction_inside_sphere(grid, i, j, k, r);
            auto        &v = grid.values[grid.index(i, j, k)];
            v              = f > 0.0 ? v / f : 0.0; // f = 0 cells hold no MC deposit
          }
    return grid_source(std::move(grid), scale);
  }

  PowerDensity grid_source(CartesianGrid grid, double scale)
  {
    if (grid.values.size() != grid.size())
      throw InputError("Heat source: CartesianGrid has " + std::to_string(grid.values.size()) +
                       " values for " + std::to_string(grid.size()) + " cells");
    return [g = std::move(grid), scale](const std::array<double, 3> &x) {
      return scale * g.value_at(x);
    };
  }
} // namespace mpstream::solver
