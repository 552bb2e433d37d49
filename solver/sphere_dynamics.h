#pragma once
// Translation of the spheres under their electrostatic forces (issue 14, item 3; first part:
// the integrator, without the stage): velocity Verlet with the forces from a callback (the
// quasi-static field: e.g. the force form of the responses at the charges of time t, or an
// analytic force in the tests), in the frame moving with the stream. Stops at the end time,
// when a displacement reaches a set fraction of the smallest initial gap (the mesh no longer
// describes the layout: re-mesh or stop), or at the first contact (two surfaces or a surface
// and the anode plane z = 0 meet; the contact time is interpolated linearly in the gap between
// the two steps around it). In a periodic cell the neighbours' copies in the adjacent cells
// count too (DynamicsSettings::image_shifts). Plain C++.
#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace mpstream::solver
{
  using Vector3 = std::array<double, 3>;

  struct MovingSphere
  {
    Vector3 position{}; // m, centre
    Vector3 velocity{}; // m/s
    double radius = 0;  // m
    double mass   = 0;  // kg
  };

  struct DynamicsSettings
  {
    double time_step_s  = 1e-9;
    double end_time_s   = 4.5e-6;
    // Stop when a centre has moved by this fraction of the smallest initial gap (sphere-sphere
    // or sphere-anode), in (0, 1).
    double displacement_fraction = 0.5;
    // false: no such stop, for forces that follow the positions (analytic forces, re-meshing);
    // the quasi-static forces of a fixed mesh need it (a sphere can then not reach the anode
    // before the stop: its travel would be at least the smallest gap).
    bool stop_at_displacement_threshold = true;
    bool anode_present  = true; // the grounded plane z = 0
    // A laterally periodic stream: the shifts of the cell's copies (the zero shift may be among
    // them); contact and the smallest gap then also count a sphere against its neighbours'
    // copies in the adjacent cells.
    std::vector<Vector3> image_shifts;
    // Keep the start, every this-many steps and the last step in DynamicsResult::samples (the
    // outputs of a long run at a short step).
    unsigned int record_every_steps = 1;
  };

  // Forces (N) on every sphere at time t for the given centres.
  using ForceCallback = std::function<std::vector<Vector3>(double time_s, const std::vector<Vector3> &positions)>;

  struct DynamicsSample
  {
    double time_s = 0;
    std::vector<Vector3> positions, velocities, forces;
  };

  struct Contact
  {
    double time_s = 0;
    std::size_t sphere = 0;
    std::optional<std::size_t> other; // empty: the anode (or the copy of `other` in a neighbouring cell)
    Vector3 location{};              // m, the contact point (linear interpolation between steps)
  };

  struct DynamicsResult
  {
    std::vector<DynamicsSample> samples; // the start, every record_every_steps-th step, the last
    std::size_t steps = 0;
    std::string stop_reason;             // "end time", "displacement threshold", "contact"
    std::optional<Contact> first_contact;
    double initial_minimum_gap_m = 0;
    double max_displacement_m    = 0; // at the last sample
    // First step at which a centre had moved the threshold fraction of the smallest gap (also
    // when that does not stop the run).
    std::optional<double> threshold_time_s;
  };

  // QuantityError (common/error.h; keys dynamics_time_step_s, dynamics_end_time_s,
  // dynamics_displacement_fraction, sphere_mass_kg, initial_minimum_gap_m, to be mapped to the
  // Dynamics section's parameters in app/quantity_names.cc with the stage) for a non-positive
  // time step, end time or mass, a displacement fraction outside (0, 1) or spheres that start
  // in contact.
  void validate(const DynamicsSettings &settings, const std::vector<MovingSphere> &spheres);

  DynamicsResult integrate_sphere_motion(std::vector<MovingSphere> spheres, const ForceCallback &force,
                                         const DynamicsSettings &settings);
} // namespace mpstream::solver
