// Electrostatics of floating charged spheres (see electrostatics.h for the model and API):
// the public facade. It checks the caller's input and forwards to Electrostatics::Impl,
// whose steps live in solver/electrostatics/ (impl.h lists them).
#include "solver/electrostatics.h"

#include "solver/electrostatics/impl.h"

#include <cmath>
#include <string>

namespace mpstream::solver
{
  double SphereField::sigma_mean() const { return constants::vacuum_permittivity * field_mean; }
  double SphereField::sigma_abs_max() const { return constants::vacuum_permittivity * field_abs_max; }
  double PointSample::field_magnitude() const { return std::hypot(field[0], field[1], field[2]); }

  Electrostatics::Electrostatics(MPI_Comm comm, const std::string &msh_file,
                                 const layout::StreamLayout &layout,
                                 const ElectrostaticsParameters &parameters, std::ostream *log)
    : impl_(std::make_unique<Impl>(comm, MeshSource{msh_file, nullptr}, layout, parameters, log))
  {}

  Electrostatics::Electrostatics(MPI_Comm comm, const meshing::VolumeMesh &mesh_on_rank_0,
                                 const layout::StreamLayout &layout,
                                 const ElectrostaticsParameters &parameters, std::ostream *log)
    : impl_(std::make_unique<Impl>(comm, MeshSource{"", &mesh_on_rank_0}, layout, parameters, log))
  {}

  Electrostatics::~Electrostatics() = default;

  const ElectrostaticsParameters &Electrostatics::parameters() const { return impl_->prm; }
  std::size_t Electrostatics::n_spheres() const { return impl_->layout.spheres.size(); }
  std::size_t Electrostatics::n_dofs() const { return impl_->dof_handler.n_dofs(); }
  std::size_t Electrostatics::n_cells() const { return impl_->triangulation.n_global_active_cells(); }
  std::size_t Electrostatics::n_inverted_curved_cells() const { return impl_->n_inverted_cells; }
  const std::vector<unsigned int> &Electrostatics::electrode_layers() const { return impl_->electrode_layers; }
  bool Electrostatics::has_electrode_wall() const { return impl_->wall; }

  void Electrostatics::set_sphere_charges(const std::vector<double> &charges)
  {
    if (charges.size() != n_spheres())
      throw InputError("Electrostatics: " + std::to_string(charges.size()) +
                       " sphere charges given for " + std::to_string(n_spheres()) + " spheres");
    for (std::size_t n = 0; n < charges.size(); ++n)
      if (!std::isfinite(charges[n]))
        throw InputError("Electrostatics: the charge of sphere " + std::to_string(n) +
                         " is not a finite number (" + std::to_string(charges[n]) + " C)");
    impl_->charges = charges;
  }

  void Electrostatics::set_electrode_potentials(const std::vector<double> &potentials)
  {
    for (std::size_t k = 0; k < potentials.size(); ++k)
      if (!std::isfinite(potentials[k]))
        throw InputError("Electrostatics: the potential of the electrode of layer " +
                         std::to_string(k) + " is not a finite number");
    for (const auto layer : impl_->electrode_layers)
      if (!potentials.empty() && layer >= potentials.size())
        throw InputError("Electrostatics: no potential given for electrode " + std::to_string(layer) +
                         " (" + std::to_string(potentials.size()) + " given)");
    impl_->electrode_potentials = potentials;
  }

  double Electrostatics::space_charge_density() const { return impl_->space_charge; }

  void Electrostatics::set_space_charge_density(double rho)
  {
    if (!std::isfinite(rho))
      throw InputError("Electrostatics: the space charge density is not a finite number");
    impl_->space_charge = rho;
  }

  SolveReport Electrostatics::solve() { return impl_->solve(impl_->prm.relative_tolerance); }
  SolveReport Electrostatics::solve(double relative_tolerance)
  {
    if (!(relative_tolerance > 0 && relative_tolerance < 1))
      throw InputError("Electrostatics: solver tolerance " + std::to_string(relative_tolerance) +
                       " is outside (0, 1)");
    return impl_->solve(relative_tolerance);
  }
  std::vector<double> Electrostatics::sphere_potentials() const { return impl_->sphere_potentials(); }
  std::vector<SphereField> Electrostatics::sphere_fields() const { return impl_->sphere_fields(); }
  std::vector<Point3> Electrostatics::sphere_forces() const { return impl_->sphere_forces(); }

  std::vector<PointSample> Electrostatics::sample_points(const std::vector<Point3> &points) const
  {
    return impl_->sample_points(points);
  }

  Electrostatics::GridSamples Electrostatics::sample_grid(const Point3 &lower, const Point3 &spacing,
                                                        const std::array<std::size_t, 3> &n_nodes) const
  {
    for (int d = 0; d < 3; ++d)
      if (!(spacing[d] > 0) || n_nodes[d] < 1 || !std::isfinite(lower[d]))
        throw InputError("Electrostatics: a sampling grid needs a positive spacing and at least one node per axis");
    return impl_->sample_grid(lower, spacing, n_nodes);
  }

  std::vector<PointSample> Electrostatics::sample_line(const Point3 &from, const Point3 &to,
                                                       unsigned int n) const
  {
    std::vector<Point3> points;
    for (unsigned int k = 0; k < n; ++k)
      {
        const double t = n > 1 ? double(k) / (n - 1) : 0.0;
        points.push_back({from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1]),
                          from[2] + t * (to[2] - from[2])});
      }
    return impl_->sample_points(points);
  }

  double Electrostatics::surface_field_at(std::size_t sphere, const Point3 &point) const
  {
    return surface_fields_at({SurfacePoint{sphere, point}})[0];
  }

  namespace
  {
    void check_surface_points(const std::vector<SurfacePoint> &points, const layout::StreamLayout &layout)
    {
      for (std::size_t m = 0; m < points.size(); ++m)
        {
          const auto &p = points[m];
          if (p.sphere >= layout.spheres.size())
            throw InputError("Electrostatics: surface point " + std::to_string(m) + " names sphere " +
                             std::to_string(p.sphere) + ", but there are " +
                             std::to_string(layout.spheres.size()) + " spheres");
          const auto &s = layout.spheres[p.sphere];
          double r = to_point(p.point).distance(to_point(s.centre));
          if (layout.periodic_cell) // the point may lie on a periodic image's piece
            for (const auto &shift : layout.periodic_cell->image_shifts())
              r = std::min(r, to_point(p.point).distance(
                                Point<3>(s.centre[0] + shift[0], s.centre[1] + shift[1], s.centre[2])));
          if (!(std::abs(r - s.radius) <= 0.05 * s.radius))
            throw InputError("Electrostatics: surface point " + std::to_string(m) + " is " +
                             std::to_string(r) + " m from the centre of sphere " + std::to_string(p.sphere) +
                             " (radius " + std::to_string(s.radius) + " m): not on its surface");
        }
    }
  } // namespace

  std::vector<double> Electrostatics::surface_fields_at(const std::vector<SurfacePoint> &points) const
  {
    check_surface_points(points, impl_->layout);
    return impl_->evaluate_probes(impl_->locate_surface_points(points));
  }

  struct Electrostatics::LocatedSurfacePoints::Data
  {
    const Impl *owner;
    std::vector<Impl::SurfaceProbe> probes;
  };

  std::size_t Electrostatics::LocatedSurfacePoints::size() const { return data_ ? data_->probes.size() : 0; }

  Electrostatics::LocatedSurfacePoints
  Electrostatics::locate_surface_points(const std::vector<SurfacePoint> &points) const
  {
    check_surface_points(points, impl_->layout);
    LocatedSurfacePoints located;
    located.data_ = std::make_shared<const LocatedSurfacePoints::Data>(
      LocatedSurfacePoints::Data{impl_.get(), impl_->locate_surface_points(points)});
    return located;
  }

  std::vector<double> Electrostatics::surface_fields_at(const LocatedSurfacePoints &points) const
  {
    if (points.data_ && points.data_->owner != impl_.get())
      throw RuntimeFailure("Electrostatics: surface points located by another Electrostatics object");
    return points.data_ ? impl_->evaluate_probes(points.data_->probes) : std::vector<double>{};
  }

  MeanPotentialResponses Electrostatics::mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets)
  {
    return impl_->mean_potential_responses(point_sets);
  }

  std::vector<double> Electrostatics::mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const
  {
    return impl_->mean_potentials(point_sets);
  }

  Responses Electrostatics::compute_responses(const std::vector<SurfacePoint> &surface_points)
  {
    check_surface_points(surface_points, impl_->layout);
    return impl_->compute_responses(surface_points);
  }

  void Electrostatics::release_response_operator() { impl_->grounded.reset(); }

  void Electrostatics::write_vtu(const std::string &directory, const std::string &basename) const
  {
    impl_->write_vtu(directory, basename);
  }

  void Electrostatics::set_progress_callback(std::function<void(const SolveProgress &)> callback)
  {
    impl_->progress = std::move(callback);
  }

  void Electrostatics::print_timing(std::ostream &out) const
  {
    impl_->timer_stream.str("");
    impl_->timer.print_wall_time_statistics(impl_->comm);
    impl_->timer.print_summary();
    if (impl_->rank == 0)
      out << impl_->timer_stream.str();
  }

  double Electrostatics::total_setup_seconds() const { return impl_->setup_seconds; }
} // namespace mpstream::solver
