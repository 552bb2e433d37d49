#include "meshing/mesher.h"

#include "common/atomic_file.h"
#include "common/constants.h"
#include "common/error.h"
#include "meshing/mesh_quality.h"
#include "meshing/physical_tags.h"
#include "meshing/sphere_size_field.h"

#include <gmsh.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

namespace mpstream::meshing
{
  namespace
  {
    // Gmsh/OpenCASCADE work in micrometres: OCC's confusion tolerance is 1e-7 model units,
    // which in metres would equal the 0.1 um gaps between neighbouring spheres. The saved mesh
    // is scaled back to metres (Mesh.ScalingFactor); node coordinates read back are scaled here.
    constexpr double model_unit = 1e-6; // m per model unit

    Point3 to_model(const Point3 &x) { return {x[0] / model_unit, x[1] / model_unit, x[2] / model_unit}; }

    std::string um(double x)
    {
      std::ostringstream s;
      s.precision(4);
      s << x * 1e6 << " um";
      return s.str();
    }

    // A sphere of the mesh: an original sphere or a periodic image of one.
    struct MeshSphere
    {
      Point3 centre;
      double radius;
      std::size_t index; // the original sphere
    };

    std::vector<MeshSphere> spheres_with_images(const StreamLayout &layout)
    {
      std::vector<MeshSphere> result;
      for (std::size_t n = 0; n < layout.spheres.size(); ++n)
        {
          const auto &s = layout.spheres[n];
          if (!layout.periodic_cell)
            {
              result.push_back({s.centre, s.radius, n});
              continue;
            }
          // Images in the eight neighbouring cells that reach into this cell.
          const auto &cell = *layout.periodic_cell;
          for (const auto &shift : cell.image_shifts())
            {
              const Point3 c{s.centre[0] + shift[0], s.centre[1] + shift[1], s.centre[2]};
              const bool reaches = c[0] + s.radius > cell.x_min && c[0] - s.radius < cell.x_max &&
                                   c[1] + s.radius > cell.y_min && c[1] - s.radius < cell.y_max;
              if (reaches)
                result.push_back({c, s.radius, n});
            }
        }
      for (auto &s : result)
        {
          s.centre = to_model(s.centre);
          s.radius /= model_unit;
        }
      return result;
    }

    // RAII guard: Gmsh is a global singleton; always finalize, even on errors.
    struct GmshSession
    {
      explicit GmshSession(unsigned int threads)
      {
        gmsh::initialize(0, nullptr, false);
        gmsh::option::setNumber("General.Terminal", 0);
        gmsh::option::setNumber("General.NumThreads", threads);
        gmsh::logger::start();
      }
      ~GmshSession() { gmsh::finalize(); }
    };

    bool inside_box(const std::vector<double> &bbox, const Point3 &lo, const Point3 &hi, double tol)
    {
      for (unsigned int d = 0; d < 3; ++d)
        if (bbox[d] < lo[d] - tol || bbox[d + 3] > hi[d] + tol)
          return false;
      return true;
    }

    struct SurfaceClassifier
    {
      const std::vector<MeshSphere> &spheres;
      const std::vector<Frame> &frames;
      Point3 box_lo, box_hi;
      bool periodic;
      bool wall; // lateral sides are the electrode wall
      bool anode;
      double tol;

      // Physical surface tag of a boundary face of the vacuum.
      unsigned int operator()(int face) const
      {
        std::string type;
        gmsh::model::getType(2, face, type);
        if (type != "Plane")
          return sphere_of(face);
        std::vector<double> bbox(6);
        gmsh::model::getBoundingBox(2, face, bbox[0], bbox[1], bbox[2], bbox[3], bbox[4], bbox[5]);
        const auto flat = [&](int d, double value) {
          return std::abs(bbox[d] - value) < tol && std::abs(bbox[d + 3] - value) < tol;
        };
        if (flat(2, box_lo[2]))
          return anode ? tags::anode : tags::enclosure;
        if (flat(2, box_hi[2]))
          return tags::enclosure;
        for (int side = 0; side < 4; ++side)
          {
            const int d         = side / 2;
            const double value  = side % 2 == 0 ? box_lo[d] : box_hi[d];
            if (flat(d, value))
              return periodic ? tags::periodic_face(static_cast<unsigned int>(side))
                              : (wall ? tags::electrode_wall : tags::enclosure);
          }
        for (const auto &f : frames)
          if (inside_box(bbox, f.outer_lower, f.outer_upper, tol))
            return tags::electrode(f.layer);
        throw RuntimeFailure("mesher: cannot tell which body the plane surface " +
                             std::to_string(face) + " belongs to");
      }

      unsigned int sphere_of(int face) const
      {
        // A point of the face's underlying surface tells the sphere (trimmed faces included).
        std::vector<double> lo, hi, point;
        gmsh::model::getParametrizationBounds(2, face, lo, hi);
        gmsh::model::getValue(2, face, {0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])}, point);
        for (const auto &s : spheres)
          {
            const double d = std::hypot(point[0] - s.centre[0], point[1] - s.centre[1],
                                        point[2] - s.centre[2]);
            if (std::abs(d - s.radius) < 1e-6 * s.radius)
              return tags::sphere(static_cast<unsigned int>(s.index));
          }
        throw RuntimeFailure("mesher: curved surface " + std::to_string(face) +
                             " matches no sphere");
      }
    };

    // The sliver pass after generate() is for narrow gaps (sphere-sphere, sphere-anode,
    // electrode frames, periodic sides). Without any (e.g. one sphere well above the anode) it
    // is skipped: on the one-sphere benchmark it cost 20 % of the meshing time and did not
    // change the sphere potential's error (doc/performance.md, "Small problems").
    bool needs_sliver_pass(const StreamLayout &layout, const std::vector<Frame> &frames, double h_sphere_m)
    {
      return !frames.empty() || layout.periodic_cell.has_value() || layout.minimum_gap() < h_sphere_m ||
             (layout.anode_present && layout.minimum_anode_clearance() < h_sphere_m);
    }

    // Size field: fine on spheres (h_s), growing linearly with distance, capped; refined in
    // narrow gaps between spheres; electrode frames at twice the sphere size.
    // Above the stream: one Box over everything up to the top of the stream (spheres, frames)
    // caps the size at h_max there and lets it grow by the growth rate above, up to h_far.
    int slab_cap_field(const std::vector<MeshSphere> &spheres, const std::vector<Frame> &frames,
                       const MeshParameters &mesh, double h_max, double h_far)
    {
      double top = -std::numeric_limits<double>::max(); // model units
      for (const auto &s : spheres)
        top = std::max(top, s.centre[2] + s.radius);
      for (const auto &frame : frames)
        top = std::max(top, frame.outer_upper[2] / model_unit);
      constexpr double far = 1e9; // model units: beyond any enclosure
      const int f = gmsh::model::mesh::field::add("Box");
      gmsh::model::mesh::field::setNumber(f, "VIn", h_max);
      gmsh::model::mesh::field::setNumber(f, "VOut", h_far);
      gmsh::model::mesh::field::setNumber(f, "XMin", -far);
      gmsh::model::mesh::field::setNumber(f, "XMax", far);
      gmsh::model::mesh::field::setNumber(f, "YMin", -far);
      gmsh::model::mesh::field::setNumber(f, "YMax", far);
      gmsh::model::mesh::field::setNumber(f, "ZMin", -far);
      gmsh::model::mesh::field::setNumber(f, "ZMax", top);
      gmsh::model::mesh::field::setNumber(f, "Thickness", (h_far - h_max) / mesh.growth_rate);
      return f;
    }

    // Overall size cap (model units): maximum_size, or maximum_size_above_stream if larger
    // (then the slab cap field holds maximum_size below the stream's top).
    double overall_size_cap(const MeshParameters &mesh)
    {
      return std::max(mesh.maximum_size / model_unit, mesh.maximum_size_above_stream / model_unit);
    }

    // The Ball size fields of the spheres and of the narrow gaps between them (model units).
    // A ball's transition layer interpolates linearly from VIn at the surface to VOut at
    // surface + Thickness.
    std::vector<SizeBall> size_balls(const std::vector<MeshSphere> &spheres, const MeshParameters &mesh,
                                     double h_sphere)
    {
      const double h_max = overall_size_cap(mesh);
      std::vector<SizeBall> balls;
      // A sphere's ball: h_sphere on its surface, growing with the surface distance s as
      // h_sphere + g s (exponent 1) or h_sphere (1 + g s / (a h_sphere))^a, up to h_max. P2's
      // error density in the far field falls like h^4 r^-10 (the field of the sphere and its
      // image is a dipole's), so h ~ r^(10/7) balances error against cells: a > 1 coarsens
      // the far field faster than the linear law (doc/meshing.md).
      for (const auto &s : spheres)
        balls.push_back(graded_ball({s.centre[0], s.centre[1], s.centre[2]}, s.radius, h_sphere, h_max,
                                    mesh.growth_rate, mesh.growth_exponent));
      // Narrow gaps: a ball at each close pair's midpoint with a size resolving the gap.
      for (std::size_t i = 0; i < spheres.size(); ++i)
        for (std::size_t j = i + 1; j < spheres.size(); ++j)
          {
            const auto &a = spheres[i], &b = spheres[j];
            const double d   = std::hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1],
                                          a.centre[2] - b.centre[2]);
            const double gap = d - a.radius - b.radius;
            if (gap >= h_sphere)
              continue;
            const double t = (a.radius) / d; // midpoint of the gap along the centre line
            SizeBall ball;
            for (int k = 0; k < 3; ++k)
              ball.centre[k] = a.centre[k] + (b.centre[k] - a.centre[k]) * (t + 0.5 * gap / d);
            // Surfaces are closer than h_sphere within a neck of radius ~ sqrt(r (h - gap)).
            ball.radius    = std::sqrt(a.radius * (h_sphere - gap));
            ball.v_in      = std::max(gap, 0.5 * h_sphere);
            ball.v_out     = h_max;
            ball.thickness = 0;
            balls.push_back(ball);
          }
      return balls;
    }

    // The sphere and gap balls, evaluated by a Gmsh size callback, which Gmsh combines with the
    // background field by std::min: the same value as the balls under the Min field, but a
    // query costs O(log N) instead of O(N) (Gmsh 4.8's Min evaluates every sub-field).
    // Installed for the guard's lifetime so that nothing dangles.
    class SizeCallbackGuard
    {
    public:
      explicit SizeCallbackGuard(std::vector<SizeBall> balls)
        : field_(std::move(balls))
      {
        const SphereSizeField *field = &field_;
        gmsh::model::mesh::setSizeCallback(
          [field](int, int, double x, double y, double z) { return (*field)(x, y, z); });
      }
      ~SizeCallbackGuard() { gmsh::model::mesh::removeSizeCallback(); }
      SizeCallbackGuard(const SizeCallbackGuard &) = delete;
      SizeCallbackGuard &operator=(const SizeCallbackGuard &) = delete;

    private:
      const SphereSizeField field_;
    };

    // Box fields under a Min background field: the slab cap above the stream and the electrode
    // frames (the balls are in SizeCallbackGuard).
    void set_size_field(const std::vector<MeshSphere> &spheres, const std::vector<Frame> &frames,
                        const MeshParameters &mesh, double h_sphere)
    {
      std::vector<double> fields;
      // Box and Ball fields, not MathEval: Gmsh 4.8's MathEval parses its expression lazily and
      // is not thread safe on first use (crashes with General.NumThreads > 1).
      const double h_below = mesh.maximum_size / model_unit;
      const double h_max   = overall_size_cap(mesh);
      if (h_max > h_below)
        fields.push_back(slab_cap_field(spheres, frames, mesh, h_below, h_max));
      for (const auto &frame : frames)
        {
          // Two elements through a bar's thickness keep its edges' tets acceptable at moderate cost.
          const double size = std::min(2 * h_sphere, (frame.outer_upper[2] - frame.outer_lower[2]) / 2);
          const auto &lo = frame.outer_lower, &hi = frame.outer_upper;
          const auto &in_lo = frame.inner_lower, &in_hi = frame.inner_upper;
          const std::array<std::array<double, 4>, 4> bars = {{{lo[0], hi[0], lo[1], in_lo[1]},
                                                              {lo[0], hi[0], in_hi[1], hi[1]},
                                                              {lo[0], in_lo[0], in_lo[1], in_hi[1]},
                                                              {in_hi[0], hi[0], in_lo[1], in_hi[1]}}};
          for (const auto &bar : bars)
            {
              const int f = gmsh::model::mesh::field::add("Box");
              gmsh::model::mesh::field::setNumber(f, "VIn", size);
              gmsh::model::mesh::field::setNumber(f, "VOut", h_max);
              gmsh::model::mesh::field::setNumber(f, "XMin", bar[0] - size);
              gmsh::model::mesh::field::setNumber(f, "XMax", bar[1] + size);
              gmsh::model::mesh::field::setNumber(f, "YMin", bar[2] - size);
              gmsh::model::mesh::field::setNumber(f, "YMax", bar[3] + size);
              gmsh::model::mesh::field::setNumber(f, "ZMin", lo[2] - size);
              gmsh::model::mesh::field::setNumber(f, "ZMax", hi[2] + size);
              fields.push_back(f);
            }
        }
      if (!fields.empty()) // an empty Min is Gmsh's MAX_LC, the same as no background field
        {
          const int minimum = gmsh::model::mesh::field::add("Min");
          gmsh::model::mesh::field::setNumbers(minimum, "FieldsList", fields);
          gmsh::model::mesh::field::setAsBackgroundMesh(minimum);
        }
      gmsh::option::setNumber("Mesh.MeshSizeFromPoints", 0);
      gmsh::option::setNumber("Mesh.MeshSizeFromCurvature", 0);
      gmsh::option::setNumber("Mesh.MeshSizeExtendFromBoundary", 0);
    }

    // Lateral faces of the cell: mesh the max side as a translated copy of the min side.
    unsigned int make_periodic(const std::map<int, unsigned int> &face_tags, const StreamLayout &layout)
    {
      unsigned int pairs = 0;
      const auto &cell   = *layout.periodic_cell;
      for (int d = 0; d < 2; ++d)
        {
          const double shift = (d == 0 ? cell.length_x() : cell.length_y()) / model_unit;
          std::vector<int> masters, slaves;
          for (const auto &[face, tag] : face_tags)
            {
              if (tag == tags::periodic_face(2 * d))
                masters.push_back(face);
              if (tag == tags::periodic_face(2 * d + 1))
                slaves.push_back(face);
            }
          if (masters.size() != slaves.size())
            throw RuntimeFailure("mesher: periodic sides " + std::to_string(2 * d) + "/" +
                                 std::to_string(2 * d + 1) + " have different face counts");
          std::vector<double> affine = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
          affine[d == 0 ? 3 : 7] = shift;
          for (const int slave : slaves)
            {
              double s[6];
              gmsh::model::getBoundingBox(2, slave, s[0], s[1], s[2], s[3], s[4], s[5]);
              int match = -1;
              for (const int master : masters)
                {
                  double m[6];
                  gmsh::model::getBoundingBox(2, master, m[0], m[1], m[2], m[3], m[4], m[5]);
                  double mismatch = 0;
                  for (int k = 0; k < 3; ++k)
                    {
                      const double offset = (k == d) ? shift : 0.0;
                      mismatch = std::max({mismatch, std::abs(s[k] - m[k] - offset),
                                           std::abs(s[k + 3] - m[k + 3] - offset)});
                    }
                  if (mismatch < 1e-3 * shift)
                    match = master;
                }
              if (match < 0)
                throw RuntimeFailure("mesher: a periodic face has no partner on the opposite side");
              gmsh::model::mesh::setPeriodic(2, {slave}, {match}, affine);
              ++pairs;
            }
        }
      return pairs;
    }

    using NodeMap = std::map<std::size_t, Point3>;

    NodeMap all_nodes()
    {
      std::vector<std::size_t> tags_;
      std::vector<double> xyz, parametric;
      gmsh::model::mesh::getNodes(tags_, xyz, parametric, -1, -1, false, false);
      NodeMap nodes;
      for (std::size_t n = 0; n < tags_.size(); ++n)
        nodes[tags_[n]] = {xyz[3 * n] * model_unit, xyz[3 * n + 1] * model_unit, xyz[3 * n + 2] * model_unit};
      return nodes;
    }

    // Vertex connectivity (first 4 or 3 nodes: corner nodes also of second-order elements).
    std::vector<std::size_t> corner_connectivity(int dim, int entity, unsigned int corners)
    {
      std::vector<int> types;
      std::vector<std::vector<std::size_t>> element_tags, node_tags;
      gmsh::model::mesh::getElements(types, element_tags, node_tags, dim, entity);
      std::vector<std::size_t> result;
      for (std::size_t t = 0; t < types.size(); ++t)
        {
          const std::size_t per = node_tags[t].size() / element_tags[t].size();
          for (std::size_t e = 0; e < element_tags[t].size(); ++e)
            for (unsigned int c = 0; c < corners; ++c)
              result.push_back(node_tags[t][e * per + c]);
        }
      return result;
    }

    void assess_quality(const NodeMap &nodes, const std::vector<std::size_t> &tets, MeshReport &report)
    {
      report.n_elements     = tets.size() / 4;
      report.min_quality    = 1;
      report.min_dihedral_angle_deg = 180;
      double quality_sum = 0;
      for (std::size_t e = 0; e < report.n_elements; ++e)
        {
          Tet t;
          for (int v = 0; v < 4; ++v)
            t[v] = nodes.at(tets[4 * e + v]);
          const double q = tet_radius_ratio(t);
          report.n_poor_elements += q < MeshReport::poor_quality;
          report.min_quality = std::min(report.min_quality, q);
          quality_sum += q;
          report.min_dihedral_angle_deg = std::min(report.min_dihedral_angle_deg, tet_min_dihedral_angle_deg(t));
          report.vacuum_volume += std::abs(tet_volume(t));
        }
      report.mean_quality = report.n_elements ? quality_sum / report.n_elements : 0;
    }

    // ParaView view of the mesh: tetrahedra (region = vacuum tag) and boundary triangles
    // (region = their surface tag), as one VTU unstructured grid.
    void write_vtu(const std::string &file_name, const NodeMap &nodes,
                   const std::vector<std::size_t> &tets,
                   const std::vector<std::pair<unsigned int, std::vector<std::size_t>>> &triangles)
    {
      std::map<std::size_t, std::size_t> index;
      for (const auto &[tag, xyz] : nodes)
        index.emplace(tag, index.size());
      std::size_t n_triangles = 0;
      for (const auto &t : triangles)
        n_triangles += t.second.size() / 3;
      const std::size_t n_cells = tets.size() / 4 + n_triangles;

      AtomicFile file(file_name);
      auto &out = file.stream();
      out.precision(10);
      out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"UnstructuredGrid\" version=\"0.1\">\n"
          << "<UnstructuredGrid><Piece NumberOfPoints=\"" << nodes.size() << "\" NumberOfCells=\""
          << n_cells << "\">\n<Points><DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">\n";
      for (const auto &[tag, xyz] : nodes)
        out << xyz[0] << ' ' << xyz[1] << ' ' << xyz[2] << '\n';
      out << "</DataArray></Points>\n<Cells><DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
      for (const auto n : tets)
        out << index.at(n) << ' ';
      for (const auto &t : triangles)
        for (const auto n : t.second)
          out << index.at(n) << ' ';
      out << "\n</DataArray><DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
      std::size_t offset = 0;
      for (std::size_t e = 0; e < tets.size() / 4; ++e)
        out << (offset += 4) << ' ';
      for (std::size_t e = 0; e < n_triangles; ++e)
        out << (offset += 3) << ' ';
      out << "\n</DataArray><DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">\n";
      for (std::size_t e = 0; e < tets.size() / 4; ++e)
        out << "10 ";
      for (std::size_t e = 0; e < n_triangles; ++e)
        out << "5 ";
      out << "\n</DataArray></Cells>\n<CellData Scalars=\"region\"><DataArray type=\"Int32\" Name=\"region\" format=\"ascii\">\n";
      for (std::size_t e = 0; e < tets.size() / 4; ++e)
        out << tags::vacuum << ' ';
      for (const auto &t : triangles)
        for (std::size_t e = 0; e < t.second.size() / 3; ++e)
          out << t.first << ' ';
      out << "\n</DataArray></CellData>\n</Piece></UnstructuredGrid></VTKFile>\n";
      file.commit();
    }

    // Gmsh writes MSH 2.2 coordinates as "%.16g": the in-memory mesh takes the same rounding, so
    // that a run from memory and a rerun that reads the file (stage cache) are bit-identical.
    double as_written_to_msh(double x)
    {
      char text[40];
      std::snprintf(text, sizeof text, "%.16g", x);
      return std::strtod(text, nullptr);
    }

    // The linear mesh as the MSH file has it (corner nodes in metres, in the file's order:
    // ascending node tag; tetrahedra in Gmsh's order).
    VolumeMesh volume_mesh(const NodeMap &nodes, const std::vector<std::size_t> &tets,
                           const std::vector<std::pair<unsigned int, std::vector<std::size_t>>> &triangles)
    {
      VolumeMesh m;
      std::map<std::size_t, unsigned int> index;
      m.nodes.reserve(nodes.size());
      for (const auto &[tag, xyz] : nodes)
        {
          index.emplace_hint(index.end(), tag, static_cast<unsigned int>(m.nodes.size()));
          m.nodes.push_back({as_written_to_msh(xyz[0]), as_written_to_msh(xyz[1]), as_written_to_msh(xyz[2])});
        }
      m.tetrahedra.resize(tets.size() / 4);
      for (std::size_t e = 0; e < m.tetrahedra.size(); ++e)
        for (unsigned int v = 0; v < 4; ++v)
          m.tetrahedra[e][v] = index.at(tets[4 * e + v]);
      for (const auto &[tag, corners] : triangles)
        for (std::size_t e = 0; e < corners.size() / 3; ++e)
          {
            m.boundary_triangles.push_back({index.at(corners[3 * e]), index.at(corners[3 * e + 1]),
                                            index.at(corners[3 * e + 2])});
            m.boundary_tags.push_back(tag);
          }
      return m;
    }

    double frames_volume(const std::vector<Frame> &frames)
    {
      double v = 0;
      for (const auto &f : frames)
        v += f.volume();
      return v;
    }
  } // namespace

  double Frame::volume() const
  {
    const double dz = outer_upper[2] - outer_lower[2];
    return dz * ((outer_upper[0] - outer_lower[0]) * (outer_upper[1] - outer_lower[1]) -
                 (inner_upper[0] - inner_lower[0]) * (inner_upper[1] - inner_lower[1]));
  }

  std::vector<Frame> auxiliary_electrodes(const StreamLayout &layout, const ElectrodeParameters &p)
  {
    std::vector<Frame> frames;
    if (!p.enabled || layout.periodic_cell || p.shape == ElectrodeShape::wall)
      return frames;
    const auto box = layout.bounding_box();
    for (std::size_t k = 0; k < layout.layer_heights.size(); ++k)
      {
        Frame f;
        f.layer = static_cast<unsigned int>(k);
        for (int d = 0; d < 2; ++d)
          {
            f.inner_lower[d] = box[0][d] - p.gap;
            f.inner_upper[d] = box[1][d] + p.gap;
            f.outer_lower[d] = f.inner_lower[d] - p.width;
            f.outer_upper[d] = f.inner_upper[d] + p.width;
          }
        f.outer_lower[2] = f.inner_lower[2] = layout.layer_heights[k] - 0.5 * p.thickness;
        f.outer_upper[2] = f.inner_upper[2] = layout.layer_heights[k] + 0.5 * p.thickness;
        frames.push_back(f);
      }
    return frames;
  }

  bool has_electrode_wall(const StreamLayout &layout, const ElectrodeParameters &p)
  {
    return p.enabled && p.shape == ElectrodeShape::wall && !layout.periodic_cell;
  }

  std::vector<double> wall_node_heights(const StreamLayout &layout, const ElectrodeParameters &p,
                                        const EnclosureParameters &enclosure)
  {
    std::vector<double> nodes;
    if (!has_electrode_wall(layout, p))
      return nodes;
    if (!(p.wall_node_spacing > 0))
      throw QuantityError("wall_node_spacing_m", um(p.wall_node_spacing), "must be > 0");
    const double floor = layout.anode_present ? 0.0 : enclosure.floor;
    const double top   = layout.bounding_box()[1][2];
    for (double z = floor + p.wall_node_spacing;; z += p.wall_node_spacing)
      {
        nodes.push_back(z);
        if (z >= top * (1 - 1e-12))
          break;
      }
    if (nodes.back() >= enclosure.height)
      throw QuantityError("wall_node_spacing_m", um(p.wall_node_spacing),
                          "the electrode wall's top node (" + um(nodes.back()) +
                            ") is not below the enclosure's height " + um(enclosure.height) +
                            ": lower the node spacing or raise the enclosure");
    return nodes;
  }

  std::array<Point3, 2> enclosure_box(const StreamLayout &layout, const EnclosureParameters &p,
                                      const ElectrodeParameters &electrodes)
  {
    std::array<Point3, 2> box;
    box[0] = {-0.5 * p.size_x, -0.5 * p.size_y, layout.anode_present ? 0.0 : p.floor};
    box[1] = {0.5 * p.size_x, 0.5 * p.size_y, p.height};
    if (layout.periodic_cell)
      {
        box[0][0] = layout.periodic_cell->x_min;
        box[1][0] = layout.periodic_cell->x_max;
        box[0][1] = layout.periodic_cell->y_min;
        box[1][1] = layout.periodic_cell->y_max;
      }
    else if (has_electrode_wall(layout, electrodes))
      {
        const auto patch = layout.bounding_box(); // sphere surfaces included
        for (int d = 0; d < 2; ++d)
          {
            box[0][d] = patch[0][d] - electrodes.gap;
            box[1][d] = patch[1][d] + electrodes.gap;
          }
      }
    return box;
  }

  void check_meshable(const StreamLayout &layout, const EnclosureParameters &enclosure,
                      const ElectrodeParameters &electrodes, const MeshParameters &mesh)
  {
    const double r = layout.spheres.front().radius;
    const double min_gap = mesh.minimum_gap_fraction * r;
    if (layout.anode_present && layout.minimum_anode_clearance() < min_gap)
      throw InputError("mesher: a sphere rests on or nearly touches the anode (clearance " +
                       um(layout.minimum_anode_clearance()) +
                       "); a floating conductor needs a gap of at least " + um(min_gap) +
                       " (the mesh's minimum gap fraction of the radius). Contact geometries are for "
                       "the Monte Carlo only");
    if (layout.minimum_gap() < min_gap)
      throw InputError("mesher: two spheres touch or nearly touch (gap " + um(layout.minimum_gap()) +
                       "); the mesh needs at least " + um(min_gap) +
                       " (raise the lateral clearance or lower the mesh's minimum gap fraction)");
    const auto box = enclosure_box(layout, enclosure, electrodes);
    if (!layout.anode_present && layout.bounding_box()[0][2] <= enclosure.floor)
      throw QuantityError("enclosure_floor_m", um(enclosure.floor), "must be below the lowest sphere");
    if (!layout.periodic_cell)
      validate_inside_box(layout, box[0], box[1], "enclosure");
    else
      {
        Point3 lo = {-1e300, -1e300, box[0][2]}, hi = {1e300, 1e300, box[1][2]};
        validate_inside_box(layout, lo, hi, "enclosure's height");
      }
    const auto frames = auxiliary_electrodes(layout, electrodes);
    for (const auto &f : frames)
      for (int d = 0; d < 3; ++d)
        if (f.outer_lower[d] <= box[0][d] || f.outer_upper[d] >= box[1][d])
          throw InputError("auxiliary electrodes: the frame of layer " + std::to_string(f.layer) +
                           " does not fit inside the enclosure (reduce the frames' gap or width, or "
                           "enlarge the enclosure)");
    if (has_electrode_wall(layout, electrodes))
      {
        if (!(electrodes.gap > 0))
          throw QuantityError("electrode_gap_m", um(electrodes.gap), "must be > 0 for the electrode wall");
        wall_node_heights(layout, electrodes, enclosure); // throws if the nodes do not fit
      }
    if (!frames.empty() && !(electrodes.gap > 0 && electrodes.width > 0 && electrodes.thickness > 0))
      throw InputError("auxiliary electrodes: the frames' gap, width and thickness must be positive");
    for (std::size_t k = 1; k < frames.size(); ++k)
      if (frames[k].outer_lower[2] <= frames[k - 1].outer_upper[2])
        throw QuantityError("electrode_thickness_m", um(electrodes.thickness),
                            "must be smaller than the layer spacing: neighbouring frames would merge");
    if (!(mesh.elements_per_radius >= 1 && mesh.growth_rate > 0 && mesh.maximum_size > 0))
      throw InputError("mesh: elements per radius >= 1, size growth rate > 0 and maximum element size > 0 "
                       "are required");
  }

  MeshReport build_stream_mesh(const StreamLayout &layout, const EnclosureParameters &enclosure,
                               const ElectrodeParameters &electrodes, const MeshParameters &mesh,
                               const std::string &msh_file, const std::string &vtu_file,
                               VolumeMesh *in_memory)
  {
    check_meshable(layout, enclosure, electrodes, mesh);
    const auto start   = std::chrono::steady_clock::now();
    // Geometry in model units (micrometres) for Gmsh; the report stays in metres.
    const auto spheres = spheres_with_images(layout);
    const auto frames_m = auxiliary_electrodes(layout, electrodes);
    const auto box_m    = enclosure_box(layout, enclosure, electrodes);
    std::vector<Frame> frames = frames_m;
    for (auto &f : frames)
      {
        f.outer_lower = to_model(f.outer_lower);
        f.outer_upper = to_model(f.outer_upper);
        f.inner_lower = to_model(f.inner_lower);
        f.inner_upper = to_model(f.inner_upper);
      }
    const std::array<Point3, 2> box = {to_model(box_m[0]), to_model(box_m[1])};
    const double h_sphere = layout.spheres.front().radius / mesh.elements_per_radius / model_unit;

    MeshReport report;
    GmshSession session(mesh.threads);
    try
      {
        gmsh::model::add("mpstream");
        const int vacuum_box = gmsh::model::occ::addBox(box[0][0], box[0][1], box[0][2],
                                                        box[1][0] - box[0][0], box[1][1] - box[0][1],
                                                        box[1][2] - box[0][2]);
        gmsh::vectorpair tools;
        for (const auto &s : spheres)
          tools.emplace_back(3, gmsh::model::occ::addSphere(s.centre[0], s.centre[1], s.centre[2], s.radius));
        for (const auto &f : frames)
          {
            const int outer = gmsh::model::occ::addBox(f.outer_lower[0], f.outer_lower[1], f.outer_lower[2],
                                                       f.outer_upper[0] - f.outer_lower[0],
                                                       f.outer_upper[1] - f.outer_lower[1],
                                                       f.outer_upper[2] - f.outer_lower[2]);
            const int inner = gmsh::model::occ::addBox(f.inner_lower[0], f.inner_lower[1], f.inner_lower[2] - 1.0,
                                                       f.inner_upper[0] - f.inner_lower[0],
                                                       f.inner_upper[1] - f.inner_lower[1],
                                                       f.outer_upper[2] - f.outer_lower[2] + 2.0);
            gmsh::vectorpair frame;
            std::vector<gmsh::vectorpair> map;
            gmsh::model::occ::cut({{3, outer}}, {{3, inner}}, frame, map);
            tools.insert(tools.end(), frame.begin(), frame.end());
          }
        gmsh::vectorpair vacuum;
        std::vector<gmsh::vectorpair> map;
        gmsh::model::occ::cut({{3, vacuum_box}}, tools, vacuum, map);
        gmsh::model::occ::synchronize();
        if (vacuum.size() != 1)
          throw RuntimeFailure("mesher: the vacuum region came out as " + std::to_string(vacuum.size()) +
                               " volumes; expected one (is a region enclosed by electrodes?)");

        // Classify the vacuum's boundary faces into physical surfaces.
        gmsh::vectorpair boundary;
        gmsh::model::getBoundary(vacuum, boundary, false, false, false);
        const SurfaceClassifier classify{spheres, frames, box[0], box[1],
                                         layout.periodic_cell.has_value(),
                                         has_electrode_wall(layout, electrodes), layout.anode_present,
                                         1e-6 * (box[1][2] - box[0][2])};
        std::map<int, unsigned int> face_tags;
        std::map<unsigned int, std::vector<int>> groups;
        for (const auto &[dim, face] : boundary)
          {
            const unsigned int tag = classify(std::abs(face));
            face_tags[std::abs(face)] = tag;
            groups[tag].push_back(std::abs(face));
          }
        for (std::size_t n = 0; n < layout.spheres.size(); ++n)
          if (!groups.count(tags::sphere(static_cast<unsigned int>(n))))
            throw RuntimeFailure("mesher: sphere " + std::to_string(n) + " lost its surface in the boolean cut");
        gmsh::model::addPhysicalGroup(3, {vacuum[0].second}, tags::vacuum);
        gmsh::model::setPhysicalName(3, tags::vacuum, "vacuum");
        for (const auto &[tag, faces] : groups)
          {
            gmsh::model::addPhysicalGroup(2, faces, static_cast<int>(tag));
            gmsh::model::setPhysicalName(2, static_cast<int>(tag), tags::name(tag));
          }
        report.n_physical_surfaces = groups.size();

        set_size_field(spheres, frames, mesh, h_sphere);
        const SizeCallbackGuard sphere_sizes(size_balls(spheres, mesh, h_sphere));
        if (layout.periodic_cell)
          report.n_periodic_pairs = make_periodic(face_tags, layout);
        gmsh::option::setNumber("Mesh.Algorithm", 6);     // Frontal-Delaunay surfaces
        // Delaunay by default: on the 77-sphere stream HXT (10) was 20x slower under load and
        // left 50x more poor tets; on one sphere it is faster (opt-in, doc/performance.md), but
        // its mesh is not reproducible from run to run (Gmsh 4.8.4, doc/meshing.md).
        gmsh::option::setNumber("Mesh.Algorithm3D", mesh.volume_algorithm == VolumeAlgorithm::hxt ? 10 : 1);
        gmsh::option::setNumber("Mesh.Optimize", 1);
        gmsh::model::mesh::generate(3);
        // Slivers left in the narrow gaps between spheres: node relocation, then Gmsh's
        // default tet optimiser once more (Netgen's is not compiled into Debian's Gmsh).
        if (needs_sliver_pass(layout, frames, h_sphere * model_unit))
          {
            gmsh::model::mesh::optimize("Relocate3D");
            gmsh::model::mesh::optimize("");
          }
        if (mesh.order == 2)
          gmsh::model::mesh::setOrder(2);

        // Report and VTU from the linear skeleton.
        const NodeMap nodes = all_nodes();
        report.n_nodes      = nodes.size();
        const auto tets     = corner_connectivity(3, vacuum[0].second, 4);
        assess_quality(nodes, tets, report);
        std::vector<std::pair<unsigned int, std::vector<std::size_t>>> triangles;
        for (const auto &[tag, faces] : groups)
          {
            std::vector<std::size_t> all;
            for (const int face : faces)
              {
                const auto t = corner_connectivity(2, face, 3);
                all.insert(all.end(), t.begin(), t.end());
              }
            report.n_boundary_triangles += all.size() / 3;
            triangles.emplace_back(tag, std::move(all));
          }
        if (report.n_elements == 0)
          throw RuntimeFailure("mesher: Gmsh produced no tetrahedra");

        // MSH 2.2 with physical groups only; written beside the target, then renamed.
        gmsh::option::setNumber("Mesh.MshFileVersion", 2.2);
        gmsh::option::setNumber("Mesh.SaveAll", 0);
        gmsh::option::setNumber("Mesh.ScalingFactor", model_unit);
        if (!msh_file.empty())
          {
            const std::filesystem::path target(msh_file);
            if (target.has_parent_path())
              std::filesystem::create_directories(target.parent_path());
            const std::string partial = msh_file + ".partial.msh";
            gmsh::write(partial);
            std::filesystem::rename(partial, msh_file);
          }
        if (!vtu_file.empty())
          write_vtu(vtu_file, nodes, tets, triangles);
        if (in_memory)
          *in_memory = volume_mesh(nodes, tets, triangles);
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const RuntimeFailure &)
      {
        throw;
      }
    catch (const std::string &e) // Gmsh 4.8 throws strings
      {
        throw RuntimeFailure("mesher: Gmsh failed: " + e);
      }
    catch (const std::exception &e)
      {
        std::string last;
        gmsh::logger::getLastError(last);
        throw RuntimeFailure(std::string("mesher: Gmsh failed: ") + e.what() + (last.empty() ? "" : " (" + last + ")"));
      }
    catch (...)
      {
        std::string last;
        gmsh::logger::getLastError(last);
        throw RuntimeFailure("mesher: Gmsh failed" + (last.empty() ? std::string() : ": " + last));
      }

    // Analytic vacuum volume: box minus spheres (with images clipped: count whole spheres once
    // each, since a periodic cell holds exactly one copy of every sphere's volume) minus frames.
    double spheres_volume = 0;
    for (const auto &s : layout.spheres)
      spheres_volume += 4.0 / 3.0 * constants::pi * s.radius * s.radius * s.radius;
    report.expected_vacuum_volume = (box_m[1][0] - box_m[0][0]) * (box_m[1][1] - box_m[0][1]) *
                                      (box_m[1][2] - box_m[0][2]) - spheres_volume - frames_volume(frames_m);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }
} // namespace mpstream::meshing
