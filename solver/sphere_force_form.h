#pragma once
// The net electrostatic force on every sphere as a quadratic form in the sources.
//
// The force on a conductor is the Maxwell stress on its surface, F_i = integral of
// sigma^2 / (2 eps0) n dA over sphere i, computed in its volume form -integral of
// T(E) : grad theta_i dV (doc/forces.md). The field is linear in
// the sphere charges Q_j, the electrode potentials V_k and the space charge, so with the source
// vector s = (Q_1 .. Q_N [C], V_1 .. V_E [V], 1 [the space charge as set when the form was
// built]) every component is a quadratic form, F_i,d = s^T M_i,d s, with M_i,d symmetric
// (N + E + 1) x (N + E + 1). Electrostatics::compute_responses builds the matrices from its unit
// solves (electrostatics/forces.cc); any charge state's forces then cost 3 N (N + E + 1)^2
// multiply-adds and no solve. Plain C++: usable where the Electrostatics object is gone.
#include <array>
#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  class SphereForceForm
  {
  public:
    SphereForceForm() = default;
    // electrode_ids: Electrostatics::electrode_layers() (the order of the V_k in s).
    SphereForceForm(std::size_t n_spheres, std::vector<unsigned int> electrode_ids);

    std::size_t n_spheres() const { return n_spheres_; }
    std::size_t n_sources() const { return n_sources_; } // N + E + 1
    bool empty() const { return n_spheres_ == 0; }
    const std::vector<unsigned int> &electrode_ids() const { return electrode_ids_; }

    // M_i,d (row-major n_sources x n_sources).
    double *matrix(std::size_t sphere, unsigned int component);
    const double *matrix(std::size_t sphere, unsigned int component) const;

    // Forces (N) for charges Q (C, one per sphere) and electrode potentials by id as
    // Electrostatics::set_electrode_potentials takes them (V; missing ids are 0 V).
    // InputError if the charge count is wrong.
    std::vector<std::array<double, 3>> forces(const std::vector<double> &charges,
                                              const std::vector<double> &electrode_potentials_by_id) const;

  private:
    std::size_t n_spheres_ = 0, n_sources_ = 0;
    std::vector<unsigned int> electrode_ids_;
    std::vector<double> matrices_; // [(sphere * 3 + component) * K * K + a * K + b]
  };
} // namespace mpstream::solver
