#include "solver/sphere_force_form.h"

#include "common/error.h"

#include <string>
#include <utility>

namespace mpstream::solver
{
  SphereForceForm::SphereForceForm(std::size_t n_spheres, std::vector<unsigned int> electrode_ids)
    : n_spheres_(n_spheres)
    , n_sources_(n_spheres + electrode_ids.size() + 1)
    , electrode_ids_(std::move(electrode_ids))
    , matrices_(3 * n_spheres_ * n_sources_ * n_sources_, 0.0)
  {}

  double *SphereForceForm::matrix(std::size_t sphere, unsigned int component)
  {
    return matrices_.data() + (sphere * 3 + component) * n_sources_ * n_sources_;
  }

  const double *SphereForceForm::matrix(std::size_t sphere, unsigned int component) const
  {
    return matrices_.data() + (sphere * 3 + component) * n_sources_ * n_sources_;
  }

  std::vector<std::array<double, 3>> SphereForceForm::forces(const std::vector<double> &charges,
                                                             const std::vector<double> &electrode_potentials_by_id) const
  {
    if (charges.size() != n_spheres_)
      throw InputError("SphereForceForm: " + std::to_string(charges.size()) + " charges for " +
                       std::to_string(n_spheres_) + " spheres");
    std::vector<double> s(charges);
    for (const unsigned int id : electrode_ids_)
      s.push_back(id < electrode_potentials_by_id.size() ? electrode_potentials_by_id[id] : 0.0);
    s.push_back(1.0);
    std::vector<std::array<double, 3>> F(n_spheres_, {0.0, 0.0, 0.0});
    for (std::size_t i = 0; i < n_spheres_; ++i)
      for (unsigned int d = 0; d < 3; ++d)
        {
          const double *M = matrix(i, d);
          double sum      = 0;
          for (std::size_t a = 0; a < n_sources_; ++a)
            {
              double row = 0;
              for (std::size_t b = 0; b < n_sources_; ++b)
                row += M[a * n_sources_ + b] * s[b];
              sum += s[a] * row;
            }
          F[i][d] = sum;
        }
    return F;
  }
} // namespace mpstream::solver
