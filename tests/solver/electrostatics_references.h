#pragma once
// Analytic references for the electrostatics verification tests (SI units, plain C++).
// Every function states its formula and source; nothing here is fitted to the FE results.
#include "common/constants.h"

#include <array>
#include <cmath>
#include <vector>

namespace mpstream::solver::reference
{
  using P3 = std::array<double, 3>;
  constexpr double k_e = 1.0 / (4 * constants::pi * constants::vacuum_permittivity); // V m / C

  // Potential at `target` of the images of a unit point charge at `source` in a grounded box
  // [lo, hi] (Dirichlet on all six walls), without the charge itself and, if
  // `without_floor_mirror`, without its mirror in the floor z = lo[2] (the anode: that pair is
  // the "free" sphere-plane problem). Method of images (Jackson, Classical Electrodynamics,
  // Sect. 2.1-2.2 / Smythe 5.xx): in each axis, images at s + 2nL (+) and 2a - s + 2nL (-);
  // the 3D images are the products. Summed over cells |n_d| <= K; each 2L-cell holds 8 images
  // with no net charge, dipole or quadrupole, so the sum converges (checked against the NaCl
  // Madelung constant in the tests). Unit: V/C.
  inline double box_image_potential(const P3 &lo, const P3 &hi, const P3 &source, const P3 &target,
                                    int K, bool without_floor_mirror)
  {
    struct Image { double x; double sign; bool identity; bool mirror0; };
    std::array<std::vector<Image>, 3> axis;
    for (int d = 0; d < 3; ++d)
      {
        const double L = hi[d] - lo[d];
        for (int n = -K; n <= K; ++n)
          {
            axis[d].push_back({source[d] + 2 * n * L, +1, n == 0, false});
            axis[d].push_back({2 * lo[d] - source[d] + 2 * n * L, -1, false, n == 0});
          }
      }
    double sum = 0;
    for (const auto &a : axis[0])
      for (const auto &b : axis[1])
        {
          const double dx2 = (a.x - target[0]) * (a.x - target[0]) + (b.x - target[1]) * (b.x - target[1]);
          for (const auto &c : axis[2])
            {
              if (a.identity && b.identity && (c.identity || (without_floor_mirror && c.mirror0)))
                continue;
              const double dz = c.x - target[2];
              sum += a.sign * b.sign * c.sign / std::sqrt(dx2 + dz * dz);
            }
        }
    return k_e * sum;
  }

  // NaCl Madelung constant (Kittel, Introduction to Solid State Physics, ch. 3): the induced
  // potential at the centre of a grounded cube of side L with a charge q there is
  // -M q k_e / L.
  constexpr double madelung_nacl = 1.747564594633;

  // Two conducting spheres (radii a1, a2, centres a distance c apart) by successive images
  // (Maxwell; Smythe, Static and Dynamic Electricity, 3rd ed., Sect. 5.08). Returns the
  // Maxwell capacitance matrix {C11, C12, C22} in farad: sphere 1 at 1 V, sphere 2 at 0 V
  // gives charges C11 and C12 (and symmetrically).
  inline std::array<double, 3> two_sphere_capacitance(double a1, double a2, double c)
  {
    const double four_pi_eps0 = 1.0 / k_e;
    // Sphere `own` at 1 V, the other grounded: images alternate between the spheres.
    auto charges = [&](double ra, double rb) {
      // Charge q at distance x from centre A (towards B) in sphere A; images accumulate.
      double qa = four_pi_eps0 * ra, qb = 0, xa = 0; // first charge at A's centre
      double QA = qa, QB = 0;
      for (int k = 0; k < 200; ++k)
        {
          // Image of (qa at xa from A) in sphere B (centre at distance c from A).
          const double dB = c - xa;           // distance from B's centre
          qb = -qa * rb / dB;
          const double xb = rb * rb / dB;     // from B's centre towards A
          QB += qb;
          // Image of (qb at xb from B) in sphere A (grounded image keeps A at 1 V).
          const double dA = c - xb;
          qa = -qb * ra / dA;
          xa = ra * ra / dA;
          QA += qa;
          if (std::abs(qa) < 1e-18 * QA)
            break;
        }
      return std::array<double, 2>{QA, QB};
    };
    const auto one = charges(a1, a2);
    const auto two = charges(a2, a1);
    return {one[0], 0.5 * (one[1] + two[1]), two[0]};
  }

  // Smythe's closed series for two equal spheres (radius a, centre distance c), same source:
  // cosh(beta) = c / (2a); C11 = 4 pi eps0 a sinh(beta) sum_{n>=0} 1/sinh((2n+1) beta),
  // C12 = -4 pi eps0 a sinh(beta) sum_{n>=1} 1/sinh(2 n beta).
  inline std::array<double, 2> two_equal_spheres_smythe(double a, double c)
  {
    const double beta = std::acosh(c / (2 * a));
    double s11 = 0, s12 = 0;
    for (int n = 0; n < 400; ++n)
      {
        s11 += 1 / std::sinh((2 * n + 1) * beta);
        if (n >= 1)
          s12 += 1 / std::sinh(2 * n * beta);
      }
    const double f = a * std::sinh(beta) / k_e;
    return {f * s11, -f * s12};
  }

  // Sphere (radius R, centre at height d above a grounded plane z = 0) at potential 1 V, by
  // images (sphere-plane = sphere and its mirror sphere at -d: Smythe 5.08, Jackson
  // problem 2.x). Returns the capacitance C (F) and the outward normal field at the sphere's
  // point nearest the plane per unit sphere charge (V/m per C).
  struct SpherePlane { double capacitance; double bottom_field_per_charge; };
  inline SpherePlane sphere_above_plane(double R, double d)
  {
    // Charges inside the sphere on the axis: q_k at z_k; their mirrors -q_k at -z_k.
    std::vector<double> q = {R / k_e}, z = {d};
    for (int k = 0; k < 400; ++k)
      {
        const double D = d + z.back();      // mirror charge's distance from the centre
        q.push_back(q.back() * R / D);      // image of -q_k (at -z_k) in the sphere at 1 V
        z.push_back(d - R * R / D);
        if (q.back() < 1e-18 * q.front())
          break;
      }
    double Q = 0, Ez = 0;
    const double zp = d - R; // the sphere's lowest point
    for (std::size_t k = 0; k < q.size(); ++k)
      {
        Q += q[k];
        Ez += k_e * q[k] * (zp - z[k]) / std::pow(std::abs(zp - z[k]), 3);
        Ez += k_e * (-q[k]) * (zp + z[k]) / std::pow(std::abs(zp + z[k]), 3);
      }
    // Outward normal at the lowest point is -z.
    return {Q, -Ez / Q};
  }

  // Image charges inside a sphere (radius R, centre at height d) above a grounded plane, the
  // sphere at 1 V (the construction of sphere_above_plane): {q_k (C), z_k (m)}.
  inline std::vector<std::array<double, 2>> sphere_plane_images(double R, double d)
  {
    std::vector<std::array<double, 2>> images{{R / k_e, d}};
    for (int k = 0; k < 400 && images.back()[0] >= 1e-18 * images.front()[0]; ++k)
      {
        const double D = d + images.back()[1];
        images.push_back({images.back()[0] * R / D, d - R * R / D});
      }
    return images;
  }

  // Potential coefficient (V/C) of a laterally periodic monolayer: one sphere (radius R, centre
  // at height h) per rectangular cell ax x ay, between the grounded anode z = 0 and a grounded
  // plate z = H. The sphere and the anode exactly (sphere_above_plane); the plate z = H and the
  // other cells to first order: P = 1/C_sp + (1/Q^2) sum_j q_j phi'(z_j), with q_j at z_j the
  // sphere-plane images (Q = sum q_j; by Green's reciprocity, integral sigma phi' = sum_j q_j
  // phi'(z_j) for phi' harmonic in the sphere) and phi' the potential of
  // - the plate's images of every q_k (Jackson Sect. 2.1, two plates: +q_k at z_k + 2nH and
  //   -q_k at -z_k + 2nH, n != 0; n = 0 is the anode's mirror, already in C_sp), and
  // - the other cells' q_k between the plates (Jackson problem 3.20, SI):
  //   G(rho; z, z') = 4 k_e / H sum_{m>=1} sin(m pi z / H) sin(m pi z' / H) K0(m pi rho / H).
  // Neglected (second order): the sphere's polarisation by these fields; in the lattice's sheet
  // field E ~ Q / (4 eps0 ax ay) the induced dipole 4 pi eps0 R^3 E changes P by about
  // -pi^2 R^4 / (ax ay)^2 relative.
  inline double periodic_monolayer_potential(double R, double h, double H, double ax, double ay)
  {
    const auto images = sphere_plane_images(R, h);
    double Q = 0;
    for (const auto &im : images)
      Q += im[0];
    const double pi = constants::pi;
    const int K = static_cast<int>(std::ceil(12 * H / std::min(ax, ay))) + 2; // K0 < 1e-16 beyond
    double energy = 0; // sum_j q_j phi'(z_j) / k_e
    for (const auto &target : images)
      for (const auto &source : images)
        {
          const double zt = target[1], zs = source[1];
          double plate = 0;
          for (int n = 1; n <= 20000; ++n)
            plate += 1 / std::abs(zt - zs - 2 * n * H) + 1 / std::abs(zt - zs + 2 * n * H) -
                     1 / std::abs(zt + zs - 2 * n * H) - 1 / std::abs(zt + zs + 2 * n * H);
          double lattice = 0;
          for (int i = -K; i <= K; ++i)
            for (int j = -K; j <= K; ++j)
              {
                if (i == 0 && j == 0)
                  continue;
                const double rho = std::hypot(i * ax, j * ay);
                for (int m = 1; m * pi * rho / H < 50; ++m)
                  lattice += std::sin(m * pi * zt / H) * std::sin(m * pi * zs / H) *
                             std::cyl_bessel_k(0.0, m * pi * rho / H);
              }
          energy += target[0] * source[0] * (plate + 4 / H * lattice);
        }
    return 1 / sphere_above_plane(R, h).capacitance + k_e * energy / (Q * Q);
  }
} // namespace mpstream::solver::reference
