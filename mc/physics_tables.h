#pragma once
// Tabulated transport data on a logarithmic energy grid, built once per run and shared
// read-only by all threads: CSDA range (and its inverse), radiative fraction of the energy loss,
// and the mixed (class II) elastic scattering split into hard events and soft deflections
// (PENELOPE scheme: Salvat, Fernandez-Varea & Sempau, PENELOPE-2008 manual, sect. 4.1):
//   lambda_hard(E) = max(lambda_el(E), C1 lambda_1(E)),
// the hard events are those with mu > mu_c(E) where the DCS tail integral equals
// 1/(N lambda_hard); deflections below mu_c are lumped into one soft deflection per step whose
// mean (1 - cos theta) matches the soft transport mean free path lambda_1,soft.
#include "mc/elastic_scattering.h"
#include "mc/material.h"
#include "mc/stopping_power.h"

#include <vector>

namespace mpstream::mc
{
  struct PhysicsOptions
  {
    double max_energy_eV = 300e3; // tables cover [min_table_energy_eV, 1.02 max_energy_eV]
    double C1            = 0.2;   // hard elastic mean free path / transport mean free path
  };

  class PhysicsTables
  {
  public:
    PhysicsTables(const Material &material, const PhysicsOptions &options);

    static constexpr double min_table_energy_eV = 10;

    // Interpolated values at kinetic energy T (eV), T inside the table.
    double range_m(double T_eV) const;                 // CSDA range (collision + radiative)
    double energy_at_range_eV(double range_m) const;   // inverse of range_m
    double radiative_fraction(double T_eV) const;      // S_rad / S_tot
    struct Elastic
    {
      double lambda_hard_m;      // mean free path between hard elastic events
      double lambda1_soft_m;     // transport mean free path of the soft part
      double screening;          // A
      double mu_cut;             // hard events have mu in (mu_cut, 1]
      double mott_max;           // upper bound of R on (mu_cut, 1] for rejection sampling
    };
    Elastic elastic(double T_eV) const;
    // Mott ratio polynomial at T, interpolated from the grid (cheaper than recomputing it).
    ElasticScattering::MottPolynomial mott(double T_eV) const;

    // Grid position of an energy, computed once and shared by several look-ups (one log).
    struct Lookup
    {
      std::size_t i;
      double f;
    };
    Lookup lookup(double T_eV) const;
    Elastic elastic(const Lookup &at) const;
    ElasticScattering::MottPolynomial mott(const Lookup &at) const;

    // Full-DCS quantities (for tests and doc): elastic and first transport mean free paths.
    double lambda_elastic_m(double T_eV) const;
    double lambda1_m(double T_eV) const;

    const Material &material() const { return material_; }
    const StoppingPower &stopping_power() const { return stopping_; }
    double max_energy_eV() const { return energies_.back(); }

  private:
    void build_range_table();
    void build_elastic_tables(double C1);
    // Grid position of T: index i and weight f for values[i], values[i + 1].
    void locate(double T_eV, std::size_t &i, double &f) const;
    double interpolate(const std::vector<double> &values, double T_eV) const;

    Material material_;
    StoppingPower stopping_;
    ElasticScattering elastic_model_;
    double log_e0_ = 0, dlog_ = 0;
    std::vector<double> energies_, log_range_, radiative_fraction_;
    // Inverse of the range table on a grid uniform in ln R: ln E at each node.
    double log_r0_ = 0, dlog_r_ = 0;
    std::vector<double> log_energy_at_range_;
    std::vector<double> log_lambda_hard_, log_lambda1_soft_, screening_, mu_cut_, mott_max_;
    std::vector<ElasticScattering::MottPolynomial> mott_;
    std::vector<double> lambda_el_, lambda1_;
  };
} // namespace mpstream::mc
