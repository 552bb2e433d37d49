#pragma once
// The stream's electric field for the Monte Carlo (issue 15): phi and E of an electrostatics
// solution sampled at the nodes of a regular grid over the stream, trilinear in between. The
// field inside a sphere (a conductor) is zero: a node inside a body is left out of the
// interpolation and the other nodes' weights renormalised, so that next to a surface the
// field is the exterior's and not an average with the interior's zero. Above the grid the
// potential falls linearly to 0 at the lid (far above a periodic stream the field is laterally
// uniform). For a periodic cell the grid spans the cell; the Monte Carlo hands positions
// folded into it. Plain C++ (the sampling itself: stream_field_sampling.h).
#include "mc/electric_field.h"

#include <array>
#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  struct FieldGridNodes
  {
    std::array<double, 3> lower{}, upper{};  // m, the grid's corners
    std::array<std::size_t, 3> n_nodes{};    // per axis, >= 2
    std::vector<double> potential;           // V, x fastest: i + n_x (j + n_y k)
    std::vector<mc::Vec3> field;             // V/m
    std::vector<char> in_vacuum;             // 1: sampled in the vacuum; 0: inside a body

    std::size_t size() const { return n_nodes[0] * n_nodes[1] * n_nodes[2]; }
    std::size_t index(std::size_t i, std::size_t j, std::size_t k) const { return i + n_nodes[0] * (j + n_nodes[1] * k); }
    mc::Vec3 position(std::size_t i, std::size_t j, std::size_t k) const;
    // Node positions, x fastest (the points to sample).
    std::vector<mc::Vec3> positions() const;
  };

  class SampledStreamField final : public mc::ElectricField
  {
  public:
    // lid_height_m: the grounded lid above the grid (potential 0); variation_length_m: the
    // length on which the field varies inside the grid (the sphere radius); sphere_potentials_V:
    // each sphere's own potential (the energy of an electron entering it; the anode is at 0).
    SampledStreamField(FieldGridNodes nodes, double lid_height_m, double variation_length_m,
                       std::vector<double> sphere_potentials_V);
    mc::FieldSample at(const mc::Vec3 &r) const override;
    double variation_length(const mc::Vec3 &r) const override;
    double body_potential(int body, const mc::Vec3 &r) const override;
    const FieldGridNodes &nodes() const { return nodes_; }

  private:
    // RuntimeFailure if a node's potential or field or a sphere potential is not finite.
    void check_finite() const;
    FieldGridNodes nodes_;
    double lid_height_m_;
    double variation_length_m_;
    std::vector<double> sphere_potentials_V_;
    double top_potential_V_ = 0; // mean over the grid's top layer of vacuum nodes
  };
} // namespace mpstream::solver
