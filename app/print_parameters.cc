#include "app/print_parameters.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <sstream>

namespace mpstream::app
{
  namespace
  {
    std::string escape_table_cell(std::string s)
    {
      std::string out;
      for (const char c : s)
        out += (c == '|') ? std::string("\\|") : std::string(1, c);
      return out;
    }

    void markdown_section(const boost::property_tree::ptree &tree, const std::string &path, std::ostream &out)
    {
      bool header_written = false;
      for (const auto &[key, child] : tree)
        if (child.count("value") && child.count("documentation"))
          {
            if (!header_written)
              {
                out << "\n## " << (path.empty() ? "(top level)" : path) << "\n\n"
                    << "| Parameter | Default | Allowed | Description |\n|---|---|---|---|\n";
                header_written = true;
              }
            out << "| " << escape_table_cell(key) << " | `"
                << escape_table_cell(child.get<std::string>("default_value", "")) << "` | "
                << escape_table_cell(child.get<std::string>("pattern_description", "")) << " | "
                << escape_table_cell(child.get<std::string>("documentation", "")) << " |\n";
          }
      for (const auto &[key, child] : tree)
        if (!(child.count("value") && child.count("documentation")) && !child.empty())
          markdown_section(child, path.empty() ? key : path + "/" + key, out);
    }
  } // namespace

  void print_parameters(dealii::ParameterHandler &prm, const std::string &format, std::ostream &out)
  {
    if (format == "prm")
      prm.print_parameters(out, dealii::ParameterHandler::PRM);
    else if (format == "json")
      prm.print_parameters(out, dealii::ParameterHandler::JSON);
    else
      {
        std::stringstream json;
        prm.print_parameters(json, dealii::ParameterHandler::JSON);
        boost::property_tree::ptree tree;
        boost::property_tree::read_json(json, tree);
        out << "# mpstream parameters\n\nEvery parameter of a scenario file, its default, the "
               "values it accepts and what it means. Units are in the names; SI throughout.\n";
        markdown_section(tree, "", out);
      }
  }
} // namespace mpstream::app
