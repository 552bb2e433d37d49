#include "solver/field_cap_quasi_newton.h"

#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <sstream>

namespace mpstream::solver
{
  namespace
  {
    enum class Status
    {
      kept,    // x = 1
      capped,  // 0 < x < 1
      emptied  // x = 0
    };

    Status status_of(double x) { return x >= 1 ? Status::kept : (x <= 0 ? Status::emptied : Status::capped); }

    struct Iterate
    {
      std::vector<double> x;         // kept fractions
      std::vector<double> deviation; // F_i / cap - 1 (full solve)
      std::vector<PeakPoint> peaks;
    };

    struct SecantPair
    {
      std::vector<double> step;   // x_{k+1} - x_k
      std::vector<double> change; // dev_{k+1} - dev_k
    };

    std::vector<double> difference(const std::vector<double> &a, const std::vector<double> &b)
    {
      std::vector<double> d(a.size());
      for (std::size_t i = 0; i < a.size(); ++i)
        d[i] = a[i] - b[i];
      return d;
    }

    double dot(const std::vector<double> &a, const std::vector<double> &b)
    {
      double s = 0;
      for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
      return s;
    }

    // The full solves, counted and reported, in the kept-fraction variables.
    class FieldSolves
    {
    public:
      FieldSolves(FieldCapProblem &problem, const std::vector<double> &Q0, const QuasiNewtonSettings &settings,
                  const QuasiNewtonLog &log)
        : problem_(problem)
        , Q0_(Q0)
        , settings_(settings)
        , log_(log)
        , start_(std::chrono::steady_clock::now())
      {}

      std::size_t size() const { return Q0_.size(); }
      bool charged(std::size_t i) const { return Q0_[i] != 0; }
      double sign(std::size_t i) const { return Q0_[i] < 0 ? -1.0 : 1.0; } // F_i = sign_i E.n_i
      const std::vector<double> &backscatter_charges() const { return Q0_; }
      double cap() const { return settings_.cap_V_per_m; }

      std::vector<double> charges(const std::vector<double> &x) const
      {
        std::vector<double> Q(size());
        for (std::size_t i = 0; i < size(); ++i)
          Q[i] = Q0_[i] * x[i];
        return Q;
      }

      Iterate evaluate(const std::vector<double> &x)
      {
        const auto peaks = problem_.peaks(charges(x));
        ++solves_;
        Iterate it{x, std::vector<double>(size()), peaks.location};
        for (std::size_t i = 0; i < size(); ++i)
          it.deviation[i] = peaks.field_V_per_m[i] / cap() - 1;
        return it;
      }

      // d dev_i / dx_j of the problem's approximate model at the iterate's peaks.
      DenseMatrix approximate_jacobian(const Iterate &it) const
      {
        auto B = problem_.approximate_field_per_charge(it.peaks);
        for (std::size_t i = 0; i < size(); ++i)
          for (std::size_t j = 0; j < size(); ++j)
            B[i][j] *= sign(i) * Q0_[j] / cap();
        return B;
      }

      void say(const std::string &message) const
      {
        if (!log_)
          return;
        std::ostringstream m;
        m << message << " [" << solves_ << " field solves, "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() << " s]";
        log_(m.str());
      }

      unsigned int solves() const { return solves_; }

    private:
      FieldCapProblem &problem_;
      const std::vector<double> &Q0_;
      const QuasiNewtonSettings &settings_;
      QuasiNewtonLog log_;
      std::chrono::steady_clock::time_point start_;
      unsigned int solves_ = 0;
    };

    // The convergence measure: a capped sphere's |dev|, a kept sphere's excess above the cap, an
    // emptied sphere's shortfall below it (it should have kept charge).
    double worst_deviation(const FieldSolves &solves, const Iterate &it)
    {
      double worst = 0;
      for (std::size_t i = 0; i < solves.size(); ++i)
        {
          if (!solves.charged(i))
            continue;
          const double dev = it.deviation[i];
          switch (status_of(it.x[i]))
            {
              case Status::capped:
                worst = std::max(worst, std::abs(dev));
                break;
              case Status::kept:
                worst = std::max(worst, dev);
                break;
              case Status::emptied:
                worst = std::max(worst, -dev);
                break;
            }
        }
      return worst;
    }

    // Rows scaled so that B 1 = dev(1) + 1, the full solve at x = 1 (a row whose model field has
    // the wrong sign or is off by more than 10x keeps its scale).
    std::vector<double> row_scales(const DenseMatrix &B, const Iterate &at_one)
    {
      std::vector<double> scale(B.size(), 1.0);
      for (std::size_t i = 0; i < B.size(); ++i)
        {
          double model = 0;
          for (const double b : B[i])
            model += b;
          const double s = (at_one.deviation[i] + 1) / model;
          if (std::isfinite(s) && s > 0.1 && s < 10)
            scale[i] = s;
        }
      return scale;
    }

    // B0 + (Y - B0 S)(S^T S)^-1 S^T: exact on every stored step.
    DenseMatrix multisecant_model(DenseMatrix B, const std::deque<SecantPair> &pairs)
    {
      const std::size_t m = pairs.size(), n = B.size();
      if (m == 0)
        return B;
      DenseMatrix StS(m, std::vector<double>(m));
      double trace = 0;
      for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = 0; b < m; ++b)
          StS[a][b] = dot(pairs[a].step, pairs[b].step);
      for (std::size_t a = 0; a < m; ++a)
        trace += StS[a][a];
      for (std::size_t a = 0; a < m; ++a) // nearly parallel steps: a least-squares fit, not a blow-up
        StS[a][a] += 1e-10 * trace;
      // Residuals R = Y - B0 S (n x m), then B += R (S^T S)^-1 S^T, row by row.
      DenseMatrix R(n, std::vector<double>(m));
      for (std::size_t a = 0; a < m; ++a)
        for (std::size_t i = 0; i < n; ++i)
          R[i][a] = pairs[a].change[i] - dot(B[i], pairs[a].step);
      for (std::size_t i = 0; i < n; ++i)
        {
          const auto c = solve_dense(StS, R[i]); // (S^T S)^-1 R_i (StS symmetric)
          for (std::size_t a = 0; a < m; ++a)
            for (std::size_t j = 0; j < n; ++j)
              B[i][j] += c[a] * pairs[a].step[j];
        }
      return B;
    }

    // The model's complementarity problem: dev(x) = dev_k + B (x - x_k), solved by
    // solve_field_cap in its units (fields per charge, offsets).
    std::vector<double> model_step(const FieldSolves &solves, const DenseMatrix &B, const Iterate &it)
    {
      const std::size_t n = solves.size();
      const auto &Q0      = solves.backscatter_charges();
      LinearFieldModel model;
      model.field_per_charge.assign(n, std::vector<double>(n, 0.0));
      model.field_offset.assign(n, 0.0);
      for (std::size_t i = 0; i < n; ++i)
        {
          // g_i = sign_i E.n_i = cap (1 + dev_i + sum_j B_ij (x_j - x_kj)).
          double g0 = solves.cap() * (1 + it.deviation[i]);
          for (std::size_t j = 0; j < n; ++j)
            if (solves.charged(j))
              {
                model.field_per_charge[i][j] = solves.sign(i) * solves.cap() * B[i][j] / Q0[j];
                g0 -= solves.cap() * B[i][j] * it.x[j];
              }
          model.field_offset[i] = solves.sign(i) * g0;
        }
      return solve_field_cap(model, Q0, std::vector<double>(n, solves.cap())).kept_fraction;
    }

    std::string progress_text(const Iterate &it, double worst)
    {
      std::size_t capped = 0, emptied = 0;
      for (const double x : it.x)
        {
          capped += status_of(x) == Status::capped;
          emptied += status_of(x) == Status::emptied;
        }
      std::ostringstream m;
      m << "field cap (quasi-Newton): " << capped << " spheres capped, " << emptied
        << " at zero charge, largest deviation from the cap " << worst;
      return m.str();
    }

    QuasiNewtonResult result_of(const FieldSolves &solves, const Iterate &it, double worst)
    {
      QuasiNewtonResult r;
      r.kept_fraction = it.x;
      for (std::size_t i = 0; i < solves.size(); ++i)
        {
          if (!solves.charged(i))
            r.kept_fraction[i] = 1;
          else if (status_of(it.x[i]) == Status::capped)
            r.capped.push_back(i);
          else if (status_of(it.x[i]) == Status::emptied && it.deviation[i] > 0)
            r.infeasible.push_back(i);
        }
      r.charges         = solves.charges(it.x);
      r.deviation       = it.deviation;
      r.field_solves    = solves.solves();
      r.worst_deviation = worst;
      return r;
    }
  } // namespace

  QuasiNewtonResult solve_field_cap_quasi_newton(FieldCapProblem &problem, const std::vector<double> &backscatter_charges,
                                                 const QuasiNewtonSettings &settings, const QuasiNewtonLog &log)
  {
    require_positive_quantity(settings.cap_V_per_m, "field_cap_V_per_m");
    require_positive_quantity(settings.tolerance, "field_cap_tolerance");
    FieldSolves solves(problem, backscatter_charges, settings, log);
    Iterate it         = solves.evaluate(std::vector<double>(backscatter_charges.size(), 1.0));
    const auto scale   = row_scales(solves.approximate_jacobian(it), it);
    std::deque<SecantPair> pairs;
    double worst = worst_deviation(solves, it);
    solves.say(progress_text(it, worst));
    while (worst > settings.tolerance)
      {
        if (solves.solves() >= settings.max_solves)
          {
            std::ostringstream m;
            m << "Charging (field cap, quasi-Newton): not converged to " << settings.tolerance << " of the cap after "
              << solves.solves() << " field solves (largest relative deviation " << worst << ")";
            throw RuntimeFailure(m.str());
          }
        auto B0 = solves.approximate_jacobian(it);
        for (std::size_t i = 0; i < B0.size(); ++i)
          for (double &b : B0[i])
            b *= scale[i];
        std::vector<double> x_next;
        try
          {
            x_next = model_step(solves, multisecant_model(B0, pairs), it);
          }
        catch (const RuntimeFailure &)
          {
            // The updated model is no longer an M-matrix-like one the dense active-set method
            // can solve: start the secant memory afresh from B0.
            pairs.clear();
            x_next = model_step(solves, B0, it);
          }
        Iterate next = solves.evaluate(x_next);
        auto step    = difference(next.x, it.x);
        if (dot(step, step) > 0)
          pairs.push_back({std::move(step), difference(next.deviation, it.deviation)});
        if (pairs.size() > settings.memory)
          pairs.pop_front();
        it    = std::move(next);
        worst = worst_deviation(solves, it);
        solves.say(progress_text(it, worst));
      }
    return result_of(solves, it, worst);
  }
} // namespace mpstream::solver
