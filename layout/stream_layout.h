#pragma once
// Where the microparticles are: sphere centres, radii and layers of a stream patch.
// Pure C++ (no deal.II, no Gmsh), shared by the mesher and the Monte Carlo geometry, so both
// always see the same spheres. Coordinates (PHYSICS.md): anode surface z = 0, z towards the
// cathode, x along the stream's motion, y along the focal-spot length. SI units (m).
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mpstream::layout
{
  using Point3 = std::array<double, 3>;

  struct Sphere
  {
    Point3 centre{};
    double radius = 0;
    int layer     = 0; // index into StreamLayout::layer_heights; -1 if not on a layer (CSV)
  };

  // Lateral unit cell of a laterally infinite stream; spheres are given once inside the cell
  // (their images in the neighbouring cells are implied).
  struct PeriodicCell
  {
    double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
    double length_x() const { return x_max - x_min; }
    double length_y() const { return y_max - y_min; }
    // The point's image inside the cell (x in [x_min, x_max), y likewise; z kept).
    Point3 image_inside(const Point3 &point) const;
    // Lateral shifts of the cell and its eight neighbours (a x length_x, b x length_y, 0) for
    // a = -1..1 (outer), b = -1..1 (inner): the images a sphere in the cell can neighbour.
    std::vector<Point3> image_shifts() const;
  };

  enum class LayoutKind
  {
    multilayer, // hexagonal rows x columns, spheres drawn into layers (the paper's Fig. 5)
    monolayer,  // hexagonal, one layer (Table 1 / Fig. 11b geometries)
    csv         // arbitrary centres and radii from a file
  };

  struct LayoutParameters
  {
    LayoutKind kind            = LayoutKind::multilayer;
    double sphere_radius       = 2.5e-6; // m
    unsigned int rows          = 7;
    unsigned int spheres_per_row = 11;
    unsigned int n_layers      = 5;
    double stream_thickness    = 20e-6;  // m, from lowest to highest sphere surface
    double anode_gap           = 2.5e-6; // m, lowest sphere surface above the anode
    double lateral_clearance   = 0.02;   // pitch = 2 r (1 + clearance)
    unsigned int layer_seed    = 1;
    bool periodic              = false;  // periodic lateral cell instead of a finite patch
    bool anode_present         = true;   // false: free-standing stream, no anode half-space
    std::string sphere_file;             // for LayoutKind::csv: x,y,z,radius in metres
  };

  struct StreamLayout
  {
    std::vector<Sphere> spheres;
    std::vector<double> layer_heights; // z of each layer's sphere centres, ascending
    std::size_t probe_sphere = 0;      // the sphere the paper's profiles go through
    bool anode_present       = true;
    std::optional<PeriodicCell> periodic_cell;

    // Axis-aligned box enclosing every sphere surface: {min, max}.
    std::array<Point3, 2> bounding_box() const;
    // Smallest surface-to-surface distance between two spheres (negative: overlap), taking
    // periodic images into account. +infinity for fewer than two spheres.
    double minimum_gap() const;
    // Lowest sphere surface above the anode plane z = 0.
    double minimum_anode_clearance() const;
    // Index of the sphere whose interior holds the point, or -1 (periodic images not searched).
    int sphere_containing(const Point3 &point) const;
  };

  // Builds the layout the parameters describe and checks it (see validate_layout).
  StreamLayout make_stream_layout(const LayoutParameters &parameters);

  // Rejects non-finite or non-positive radii, overlapping spheres, spheres below the anode.
  // Throws InputError naming the offending sphere(s). Spheres resting on the anode are valid.
  void validate_layout(const StreamLayout &layout);

  // Rejects a sphere whose surface leaves the box [lower, upper].
  void validate_inside_box(const StreamLayout &layout, const Point3 &lower, const Point3 &upper,
                           const std::string &box_name);

  // CSV with header "x,y,z,radius" (metres), one sphere a line; '#' starts a comment.
  StreamLayout read_layout_csv(const std::string &file_name, bool anode_present);
  void write_layout_csv(const StreamLayout &layout, const std::string &file_name);

  // Balanced layer labels (counts differ by at most one) in a seeded random order; the label of
  // sphere `probe` is the middle layer. Reproducible on every platform (own Fisher-Yates on
  // std::mt19937_64, whose output the standard fixes; std::shuffle's is not).
  std::vector<int> balanced_random_layers(std::size_t n_spheres, unsigned int n_layers,
                                          std::size_t probe, unsigned int seed);
} // namespace mpstream::layout
