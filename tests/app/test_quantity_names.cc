// The libraries name quantities, the app names parameters: every quantity key maps to a
// declared parameter, and a library's QuantityError reaches the user as "Section/Name = ...".
#include "app/parameter_errors.h"
#include "app/quantity_names.h"
#include "app/scenario.h"
#include "layout/stream_layout.h"

#include <deal.II/base/parameter_handler.h>

#include <gtest/gtest.h>

using namespace mpstream;
using namespace mpstream::app;

namespace
{
  // "A/B/Name [unit]" -> get() on the handler: throws if the entry was never declared.
  bool declared(dealii::ParameterHandler &prm, const std::string &path)
  {
    const auto parts = split_parameter_path(path);
    for (std::size_t k = 0; k + 1 < parts.size(); ++k)
      prm.enter_subsection(parts[k]);
    bool found = true;
    try
      {
        prm.get(parts.back());
      }
    catch (...)
      {
        found = false;
      }
    for (std::size_t k = 0; k + 1 < parts.size(); ++k)
      prm.leave_subsection();
    return found;
  }
} // namespace

TEST(QuantityNames, EveryKeyNamesADeclaredParameter)
{
  dealii::ParameterHandler prm;
  declare_parameters(prm);
  for (const auto &[quantity, path] : quantity_parameters())
    EXPECT_TRUE(declared(prm, path)) << quantity << " -> " << path;
}

TEST(QuantityNames, ALayoutErrorNamesTheGeometryParameter)
{
  layout::LayoutParameters p;
  p.sphere_radius = -2.5e-6;
  try
    {
      layout::make_stream_layout(p);
      FAIL() << "a negative radius was accepted";
    }
  catch (const QuantityError &e)
    {
      EXPECT_EQ(e.quantity(), "sphere_radius_m");
      EXPECT_EQ(describe_quantity_error(e), "Geometry/Sphere radius [m] = -2.5e-06: must be > 0");
    }
}

TEST(QuantityNames, AnUnknownKeyIsReportedAsItIs)
{
  const QuantityError e("no_such_quantity", "1", "must be 2");
  EXPECT_EQ(describe_quantity_error(e), "no_such_quantity = 1: must be 2");
}
