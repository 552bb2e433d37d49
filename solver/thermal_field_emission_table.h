#pragma once
// Fast path of the thermal-field current density (solver/thermal_field_emission.h) for one work
// function: ln J tabulated once, at construction, as piecewise tensor Chebyshev polynomials over
// the whole field range and 300-5000 K, read in ~0.1 us instead of the ~2.5 us of the energy
// integral. The energy integral stays the reference: the table is built from it, and
// test_thermal_field_emission compares the two over the whole validity range.
//
// Coordinates: x = (F / F_removal)^(1/4) in [0, 1] and y = 1/T. In x the Schottky lowering
// (~ F^(1/2) = x^2 F_removal^(1/2)) and the parabolic-top terms (~ F^(3/4) = x^3 ...) of ln J are
// polynomials, and the Fowler-Nordheim exponent (~ 1/F = x^-4) is smooth away from F = 0, where
// it no longer matters; in 1/T the thermionic exponent -(phi - dphi)/kT is linear. The cells are
// split (halved in x or y, kd-tree) until the last two Chebyshev coefficients in each direction
// sum to less than build_tolerance, which puts the small cells where thermionic and field
// emission cross over at low temperature.
//
// Thread safety: everything is built in the constructor; current_density is const and touches no
// shared mutable state, so one object can serve every thread. Build once per work function (about
// 0.2 s) and keep it, e.g. `const ThermalFieldEmission emission(4.5); emission.current_density(F, T)`.
//
// Outside the table (T below table_min_temperature_K, e.g. T = 0) and for inputs outside the
// validity range the call goes to the energy integral: same result, same error message.
#include "solver/thermal_field_emission.h"

#include <array>
#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  class ThermalFieldEmission
  {
  public:
    // Stated accuracy of the table against thermal_field_current_density over F in
    // [0, barrier_removal_field(phi)], T in [table_min_temperature_K, 5000 K], phi in [2, 7] eV
    // (tested: FastTableAgreesWithEnergyIntegralOverTheValidityRange).
    static constexpr double relative_tolerance      = 1e-3;
    static constexpr double table_min_temperature_K = 300.0;

    // Builds the table from the energy integral (InputError for phi outside [2, 7] eV).
    explicit ThermalFieldEmission(double work_function_eV,
                                  AboveBarrierTransmission above = AboveBarrierTransmission::kemble_parabolic);

    // J (A/m^2) at barrier field F (V/m) and temperature T (K); same arguments and validity range
    // as thermal_field_current_density.
    double current_density(double field_V_per_m, double temperature_K) const;

    double      work_function_eV() const { return work_function_eV_; }
    std::size_t cell_count() const;
    std::size_t energy_integral_evaluations() const { return build_evaluations_; }

  private:
    // A kd-tree node: a leaf holds the coefficients of one cell, an inner node halves its cell in
    // x (split_x) or in y at `split` and points at its two children.
    struct Node
    {
      double x0, x_scale, y0, y_scale; // local coordinates t = (x - x0) * x_scale - 1 in [-1, 1]
      double split       = 0;
      int    first_child = -1; // -1: leaf
      bool   split_x     = false;
      int    coefficients = -1; // offset into coefficients_ (leaves)
    };

    struct Cell
    {
      double x0, x1, y0, y1;
    };
    static constexpr int n_coefficients = 81; // (degree 8 + 1)^2 per cell
    using CellCoefficients              = std::array<double, n_coefficients>;

    CellCoefficients fit_cell(const Cell &cell);
    void             build_cell(int node, const Cell &cell, int depth);
    double           log_current_density(double x, double y) const;

    double                   work_function_eV_;
    AboveBarrierTransmission above_;
    double                   removal_field_;
    std::vector<Node>        nodes_;
    std::vector<double>      coefficients_; // n_coefficients per leaf
    std::size_t              build_evaluations_ = 0;
  };
} // namespace mpstream::solver
