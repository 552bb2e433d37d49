// Electrostatics, output: potential and field as VTU with curved quadratic cells.
#include "solver/electrostatics/impl.h"

#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <filesystem>
#include <fstream>

namespace mpstream::solver
{
  namespace
  {
    // E = -grad phi and |E| for the VTU output.
    class FieldPostprocessor : public DataPostprocessor<3>
    {
    public:
      void evaluate_scalar_field(const DataPostprocessorInputs::Scalar<3> &inputs,
                                 std::vector<Vector<double>> &computed) const override
      {
        for (unsigned int q = 0; q < inputs.solution_gradients.size(); ++q)
          {
            const Tensor<1, 3> E = -inputs.solution_gradients[q];
            for (unsigned int d = 0; d < 3; ++d)
              computed[q](d) = E[d];
            computed[q](3) = E.norm();
          }
      }
      std::vector<std::string> get_names() const override
      {
        return {"E_V_per_m", "E_V_per_m", "E_V_per_m", "E_magnitude_V_per_m"};
      }
      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        return {DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_scalar};
      }
      UpdateFlags get_needed_update_flags() const override { return update_gradients; }
    };
  } // namespace

  void Electrostatics::Impl::write_vtu(const std::string &directory, const std::string &basename) const
  {
    TimerOutput::Scope t(timer, "output");
    DataOut<3> data_out;
    data_out.attach_dof_handler(dof_handler);
    data_out.add_data_vector(solution, "potential_V");
    FieldPostprocessor field;
    data_out.add_data_vector(solution, field);
    Vector<float> subdomain(triangulation.n_active_cells());
    for (auto &x : subdomain)
      x = static_cast<float>(rank); // this rank owns every cell it writes (a serial triangulation has no subdomain)
    data_out.add_data_vector(subdomain, "subdomain");
    // Quadratic output cells through the curved mapping, so ParaView shows the curved spheres.
    data_out.build_patches(*mapping, 2);
    DataOutBase::VtkFlags flags;
    flags.write_higher_order_cells = true;
    data_out.set_flags(flags);
    std::filesystem::create_directories(directory);
    const std::string pvtu = data_out.write_vtu_with_pvtu_record(directory + "/", basename, 0, comm, 4, 0);
    if (rank == 0)
      {
        std::ofstream pvd(directory + "/" + basename + ".pvd");
        DataOutBase::write_pvd_record(pvd, std::vector<std::pair<double, std::string>>{{0.0, pvtu}});
      }
  }
} // namespace mpstream::solver
