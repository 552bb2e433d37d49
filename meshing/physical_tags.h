#pragma once
// The one table of Gmsh physical-group numbers. deal.II's GridIn maps a cell's physical tag to
// its material_id and a face's to its boundary_id by number (names are lost), so every module
// that reads mesh.msh uses these functions and nothing else. doc/meshing.md lists the scheme.
#include <string>

namespace mpstream::meshing::tags
{
  // Volumes (material_id)
  constexpr unsigned int vacuum = 1;

  // Surfaces (boundary_id)
  constexpr unsigned int anode                  = 1;  // plane z = 0
  constexpr unsigned int enclosure              = 2;  // grounded box walls (not the anode)
  constexpr unsigned int first_periodic         = 3;  // x_min, x_max, y_min, y_max: 3, 4, 5, 6
  // The electrode wall (Auxiliary electrodes/Shape = wall): the four lateral sides of the
  // enclosure, close around the patch, with a potential piecewise linear in z.
  constexpr unsigned int electrode_wall         = 7;
  constexpr unsigned int first_electrode        = 100; // auxiliary electrode of layer k: 100 + k
  constexpr unsigned int max_electrodes         = 100;
  constexpr unsigned int first_sphere           = 1000; // sphere n: 1000 + n

  constexpr unsigned int periodic_face(unsigned int side) { return first_periodic + side; }
  constexpr unsigned int electrode(unsigned int layer) { return first_electrode + layer; }
  constexpr unsigned int sphere(unsigned int index) { return first_sphere + index; }
  constexpr bool is_electrode(unsigned int tag)
  {
    return tag >= first_electrode && tag < first_electrode + max_electrodes;
  }
  constexpr bool is_sphere(unsigned int tag) { return tag >= first_sphere; }
  constexpr unsigned int sphere_index(unsigned int tag) { return tag - first_sphere; }
  constexpr unsigned int electrode_layer(unsigned int tag) { return tag - first_electrode; }

  inline std::string name(unsigned int surface_tag)
  {
    if (surface_tag == anode)
      return "anode";
    if (surface_tag == enclosure)
      return "enclosure";
    if (surface_tag == electrode_wall)
      return "electrode_wall";
    if (surface_tag >= first_periodic && surface_tag < first_periodic + 4)
      return "periodic_" + std::to_string(surface_tag - first_periodic);
    if (is_electrode(surface_tag))
      return "electrode_" + std::to_string(electrode_layer(surface_tag));
    return "sphere_" + std::to_string(sphere_index(surface_tag));
  }
} // namespace mpstream::meshing::tags
