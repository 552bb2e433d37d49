#pragma once
// The minimum of many Gmsh "Ball" size fields, evaluated through a bounding-volume tree so that
// a query costs O(log N) instead of Gmsh 4.8's Min field, which evaluates every sub-field (O(N))
// at every size query. The value is bitwise Gmsh's: each ball is evaluated with the very
// operations of Gmsh 4.8.4's BallField::operator() (ball_size), and the search only skips balls
// that provably cannot lower the minimum. Plain C++ (no Gmsh): the mesher hands it to Gmsh as a
// size callback.
#include <array>
#include <cstddef>
#include <vector>

namespace mpstream::meshing
{
  // One Gmsh Ball field: v_in inside the ball, v_out outside; with thickness > 0 the size goes
  // linearly from v_in at the surface to v_out at surface + thickness. With exponent != 1 (not a
  // Gmsh field) the size grows as a power of the surface distance s instead,
  // v_in (1 + growth s / (exponent v_in))^exponent (slope `growth` at the surface), up to v_out,
  // which it reaches at s = thickness.
  struct SizeBall
  {
    std::array<double, 3> centre;
    double radius;
    double v_in;
    double v_out;
    double thickness = 0;
    double exponent  = 1;
    double growth    = 0; // only with exponent != 1
  };

  // Gmsh 4.8.4 BallField::operator(), operation for operation (bitwise the same double).
  double ball_size(const SizeBall &ball, double x, double y, double z);

  // A graded ball whose size grows from v_in at its surface with slope `growth`: linearly
  // (exponent 1, Gmsh's Ball field) or as v_in (1 + growth s / (exponent v_in))^exponent, up to
  // v_out, which it reaches at the returned thickness.
  SizeBall graded_ball(const std::array<double, 3> &centre, double radius, double v_in, double v_out,
                       double growth, double exponent);

  // Value returned where no ball exists (Gmsh's MAX_LC, the Min field's empty value).
  constexpr double no_ball_size = 1e22;

  // min over all balls of ball_size, bitwise. Supported lists (what the mesher builds; anything
  // else throws std::invalid_argument): graded balls (thickness > 0) share v_in <= v_out and
  // thickness (the sphere balls: size grows with the distance to the nearest sphere surface);
  // sharp balls (thickness <= 0) share v_out (the gap balls). Radii may differ.
  class SphereSizeField
  {
  public:
    explicit SphereSizeField(std::vector<SizeBall> balls);

    double operator()(double x, double y, double z) const;

    std::size_t size() const { return graded_.balls.size() + sharp_.balls.size(); }

  private:
    struct Node
    {
      std::array<double, 3> lower, upper; // bounding box of the centres below this node
      double max_radius;                  // largest radius below this node
      std::size_t begin, end;     // range of balls (leaf) ...
      std::size_t left, right;    // ... or children (inner node: left != 0)
    };

    // Balls reordered so that every node covers a contiguous range.
    struct Tree
    {
      std::vector<SizeBall> balls;
      std::vector<Node> nodes; // nodes[0] is the root
      void build(std::vector<SizeBall> list);
    };

    double graded_minimum(const std::array<double, 3> &q) const;
    double sharp_minimum(const std::array<double, 3> &q) const;
    void nearest_surface(const std::array<double, 3> &q, std::size_t node, double &best_distance,
                         std::size_t &best_ball) const;
    void containing(const std::array<double, 3> &q, std::size_t node, double &min_v_in,
                    std::size_t &count) const;
    bool any_graded_ball_beyond_thickness(const std::array<double, 3> &q) const;

    Tree graded_; // shared v_in, v_out, thickness
    Tree sharp_;  // shared v_out
  };
} // namespace mpstream::meshing
