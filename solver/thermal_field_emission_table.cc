#include "solver/thermal_field_emission_table.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mpstream::solver
{
  namespace
  {
    // Degree of the Chebyshev polynomial in each direction of a cell ((degree + 1)^2 nodes).
    constexpr int degree = 8, n_nodes = degree + 1;
    static_assert(n_nodes * n_nodes == 81, "ThermalFieldEmission::n_coefficients");
    // A cell is split while the last two Chebyshev coefficients in x (or y) sum to more than this
    // (in ln J, i.e. relative in J); the tail underestimates the error near F = 0 by a few times,
    // hence 3e-5 for a stated 1e-3. The energy integral itself jumps by up to ~4e-4 in ln J where
    // the peak of its integrand crosses the Fermi level at low temperature (its fixed rules switch
    // there; doc/emission.md), which no polynomial follows: max_depth (halvings in x and y
    // together) stops the splitting there, leaving an error of the size of the jump.
    constexpr double build_tolerance = 3e-5;
    constexpr int    max_depth       = 14;

    // Chebyshev-Lobatto nodes cos(pi j / degree), in increasing order.
    const std::array<double, n_nodes> &lobatto_nodes()
    {
      static const std::array<double, n_nodes> nodes = [] {
        std::array<double, n_nodes> t{};
        for (int j = 0; j < n_nodes; ++j)
          t[j] = -std::cos(M_PI * j / degree);
        return t;
      }();
      return nodes;
    }

    // Chebyshev coefficients c_k of the interpolant through values at the increasing Lobatto
    // nodes (discrete cosine transform of type I; the halved end terms folded into c_0, c_n).
    std::array<double, n_nodes> chebyshev_coefficients(const std::array<double, n_nodes> &values)
    {
      std::array<double, n_nodes> c{};
      for (int k = 0; k < n_nodes; ++k)
        {
          double sum = 0;
          for (int b = 0; b < n_nodes; ++b)
            {
              const int    j      = degree - b; // value b sits at cos(pi j / degree)
              const double weight = (b == 0 || b == degree) ? 0.5 : 1.0;
              sum += weight * values[b] * std::cos(M_PI * j * k / degree);
            }
          c[k] = sum * 2.0 / degree * ((k == 0 || k == degree) ? 0.5 : 1.0);
        }
      return c;
    }

    // T_0(t) ... T_degree(t) by the three-term recurrence.
    inline std::array<double, n_nodes> chebyshev_polynomials(double t)
    {
      std::array<double, n_nodes> T{};
      T[0] = 1;
      T[1] = t;
      for (int k = 2; k < n_nodes; ++k)
        T[k] = 2 * t * T[k - 1] - T[k - 2];
      return T;
    }
  } // namespace

  ThermalFieldEmission::ThermalFieldEmission(double phi, AboveBarrierTransmission above)
    : work_function_eV_(phi), above_(above)
  {
    thermal_field_current_density(0.0, table_min_temperature_K, phi, above); // checks phi
    removal_field_ = barrier_removal_field(phi);
    nodes_.push_back({});
    // x = (F / F_removal)^(1/4) over [0, 1], y = 1/T over [1/5000 K, 1/300 K].
    build_cell(0, {0.0, 1.0, 1 / thermal_field_limits::max_temperature_K, 1 / table_min_temperature_K}, 0);
  }

  // ln J at the cell's Lobatto nodes -> tensor Chebyshev coefficients c[k * n_nodes + l] of
  // T_k(t_x) T_l(t_y): the transform along y for each x node, then along x.
  ThermalFieldEmission::CellCoefficients ThermalFieldEmission::fit_cell(const Cell &cell)
  {
    const auto                                       &t = lobatto_nodes();
    std::array<double, n_nodes>                       column{};
    std::array<std::array<double, n_nodes>, n_nodes> along_y{};
    for (int a = 0; a < n_nodes; ++a)
      {
        const double x = cell.x0 + 0.5 * (t[a] + 1) * (cell.x1 - cell.x0);
        const double F = removal_field_ * x * x * x * x;
        for (int b = 0; b < n_nodes; ++b)
          {
            const double y = cell.y0 + 0.5 * (t[b] + 1) * (cell.y1 - cell.y0);
            column[b]      = std::log(thermal_field_current_density(F, 1 / y, work_function_eV_, above_));
          }
        along_y[a] = chebyshev_coefficients(column);
      }
    build_evaluations_ += n_nodes * n_nodes;
    CellCoefficients c{};
    for (int l = 0; l < n_nodes; ++l)
      {
        for (int a = 0; a < n_nodes; ++a)
          column[a] = along_y[a][l];
        const auto along_x = chebyshev_coefficients(column);
        for (int k = 0; k < n_nodes; ++k)
          c[k * n_nodes + l] = along_x[k];
      }
    return c;
  }

  // Fits the cell and, while its Chebyshev tail in x or y is above build_tolerance, halves it in the
  // direction of the larger tail.
  void ThermalFieldEmission::build_cell(int node, const Cell &cell, int depth)
  {
    const auto c      = fit_cell(cell);
    double     tail_x = 0, tail_y = 0; // last two coefficients in x (k = degree - 1, degree), in y
    for (int m = 0; m < n_nodes; ++m)
      {
        tail_x += std::abs(c[(degree - 1) * n_nodes + m]) + std::abs(c[degree * n_nodes + m]);
        tail_y += std::abs(c[m * n_nodes + degree - 1]) + std::abs(c[m * n_nodes + degree]);
      }
    if (std::max(tail_x, tail_y) > build_tolerance && depth < max_depth)
      {
        const bool split_x = tail_x >= tail_y;
        Cell       low = cell, high = cell;
        if (split_x)
          low.x1 = high.x0 = 0.5 * (cell.x0 + cell.x1);
        else
          low.y1 = high.y0 = 0.5 * (cell.y0 + cell.y1);
        const int first          = int(nodes_.size());
        nodes_[node].split_x     = split_x;
        nodes_[node].split       = split_x ? low.x1 : low.y1;
        nodes_[node].first_child = first;
        nodes_.resize(nodes_.size() + 2);
        build_cell(first, low, depth + 1);
        build_cell(first + 1, high, depth + 1);
        return;
      }
    Node &leaf        = nodes_[node];
    leaf.x0           = cell.x0;
    leaf.x_scale      = 2 / (cell.x1 - cell.x0);
    leaf.y0           = cell.y0;
    leaf.y_scale      = 2 / (cell.y1 - cell.y0);
    leaf.coefficients = int(coefficients_.size());
    coefficients_.insert(coefficients_.end(), c.begin(), c.end());
  }

  std::size_t ThermalFieldEmission::cell_count() const
  {
    return std::size_t(std::count_if(nodes_.begin(), nodes_.end(), [](const Node &n) { return n.first_child < 0; }));
  }

  double ThermalFieldEmission::log_current_density(double x, double y) const
  {
    const Node *n = &nodes_[0];
    while (n->first_child >= 0)
      n = &nodes_[n->first_child + ((n->split_x ? x : y) >= n->split ? 1 : 0)];
    const double tx = std::clamp((x - n->x0) * n->x_scale - 1, -1.0, 1.0);
    const double ty = std::clamp((y - n->y0) * n->y_scale - 1, -1.0, 1.0);
    const double *c = &coefficients_[n->coefficients];
    // sum_kl c_kl T_k(tx) T_l(ty) with the T_l(ty), T_k(tx) from their recurrence: the 81 products
    // are independent (no Clenshaw chain), which keeps the pipeline full.
    const auto Ty = chebyshev_polynomials(ty), Tx = chebyshev_polynomials(tx);
    double     sum = 0;
    for (int k = 0; k < n_nodes; ++k)
      {
        double row = 0;
        for (int l = 0; l < n_nodes; ++l)
          row += c[k * n_nodes + l] * Ty[l];
        sum += row * Tx[k];
      }
    return sum;
  }

  double ThermalFieldEmission::current_density(double F, double T) const
  {
    const bool in_table = F >= 0 && F <= removal_field_ && T >= table_min_temperature_K &&
                          T <= thermal_field_limits::max_temperature_K;
    if (!in_table) // T below the table, or invalid input: the energy integral (and its error message)
      return thermal_field_current_density(F, T, work_function_eV_, above_);
    const double x = std::sqrt(std::sqrt(F / removal_field_));
    return std::exp(log_current_density(x, 1 / T));
  }
} // namespace mpstream::solver
