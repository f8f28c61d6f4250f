#include "sweep/SweepPlan.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/Files.hh"
#include "core/JsonNode.hh"

namespace pf::sweep {

namespace {

// "20000", "0.6", "1234.5": the shortest text that reads back as the value.
std::string valueText(double value) { return fmt::format("{}", value); }

std::vector<double> deadlinesOf(const SweepSpec &spec, double period_us) {
  if (!spec.deadline_fractions.empty()) {
    std::vector<double> deadlines;
    for (double fraction : spec.deadline_fractions) {
      const double deadline = fraction * period_us;
      if (std::find(deadlines.begin(), deadlines.end(), deadline) != deadlines.end())
        throw Error(11210, spec.field_locs.at("axes.deadline_fractions"), "axes.deadline_fractions",
                    fmt::format("two fractions give the deadline {} us", valueText(deadline)));
      deadlines.push_back(deadline);
    }
    return deadlines;
  }
  if (spec.deadlines_us.empty()) return {period_us};
  for (double deadline : spec.deadlines_us)
    if (deadline > period_us)
      throw Error(11201, spec.field_locs.at("axes.deadlines_us"), "axes.deadlines_us",
                  fmt::format("deadline {} us is above the period {} us (use deadline_fractions "
                              "to sweep periods of different lengths)",
                              valueText(deadline), valueText(period_us)));
  return spec.deadlines_us;
}

void planMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(11202, "expected \"{}\", found {} (this is not a {} file)");
}

}  // namespace

const PlanDesign &SweepPlan::design(const std::string &design_name) const {
  for (const PlanDesign &d : designs)
    if (d.name == design_name) return d;
  throw std::out_of_range("no design point " + design_name + " in the plan");
}

const PlanNetwork &SweepPlan::network(const std::string &network_name) const {
  for (const PlanNetwork &n : networks)
    if (n.name == network_name) return n;
  throw std::out_of_range("no network " + network_name + " in the plan");
}

std::string pointId(const std::string &design, const std::string &network,
                    const std::vector<double> &rails_v, double period_us, double deadline_us) {
  std::string rails;
  for (double v : rails_v) rails += (rails.empty() ? "" : "_") + valueText(v);
  return fmt::format("{}/{}/r{}/p{}-d{}", design, network, rails.empty() ? "design" : rails,
                     valueText(period_us), valueText(deadline_us));
}

std::vector<PlanPoint> expandPoints(const SweepSpec &spec) {
  const std::vector<std::vector<double>> rail_sets =
      spec.rails_v.empty() ? std::vector<std::vector<double>>{{}} : spec.rails_v;
  std::vector<PlanPoint> points;
  for (const DesignPointSpec &design : spec.designs)
    for (const NetworkSpec &network : spec.networks)
      for (const std::vector<double> &rails : rail_sets)
        for (double period : spec.periods_us)
          for (double deadline : deadlinesOf(spec, period)) {
            PlanPoint point{pointId(design.name, network.name, rails, period, deadline),
                            design.name,
                            network.name,
                            rails,
                            period,
                            deadline};
            points.push_back(std::move(point));
          }
  return points;
}

Json planToJson(const SweepPlan &plan) {
  Json root = Json::object();
  root.set("format", kPlanFormat);
  root.set("version", kPlanVersion);
  root.set("generated_by", plan.generated_by);
  root.set("name", plan.name);
  root.set("powerflow", plan.powerflow);
  root.set("corners", plan.corners);
  root.set("sim_periods", plan.sim_periods);
  root.set("sparsity_seed", plan.sparsity_seed);
  Json designs = Json::array();
  for (const PlanDesign &d : plan.designs) {
    Json parameters = Json::object();
    for (const auto &[key, value] : d.parameters) parameters.set(key, value);
    designs.push(Json(Json::Object{
        {"name", d.name}, {"design", d.design}, {"cache", d.cache}, {"parameters", parameters}}));
  }
  root.set("designs", designs);
  Json networks = Json::array();
  for (const PlanNetwork &n : plan.networks)
    networks.push(Json(Json::Object{{"name", n.name}, {"file", n.file}}));
  root.set("networks", networks);
  Json points = Json::array();
  for (const PlanPoint &p : plan.points)
    points.push(Json(Json::Object{{"id", p.id},
                                  {"design", p.design},
                                  {"network", p.network},
                                  {"rails_v", Json::numbers(p.rails_v)},
                                  {"period_us", p.period_us},
                                  {"deadline_us", p.deadline_us}}));
  root.set("points", points);
  return root;
}

SweepPlan planFromText(const std::string &text, const std::string &file) {
  const Json json = parseJson(text, file);
  const JsonNode root(json, file, planMessage);
  root.checkFormat(kPlanFormat, {kPlanVersion}, "run `powerflow sweep` again");
  const JsonObject top =
      root.object({"format", "version", "generated_by", "name", "powerflow", "corners",
                   "sim_periods", "sparsity_seed", "designs", "networks", "points"});
  SweepPlan plan;
  plan.generated_by = top["generated_by"].string();
  plan.name = top["name"].string();
  plan.powerflow = top["powerflow"].string();
  plan.corners = top["corners"].string();
  plan.sim_periods = int(top["sim_periods"].integer(0, 1000));
  plan.sparsity_seed = top["sparsity_seed"].integer(0, 999999999);
  for (const JsonNode &node : top["designs"].items()) {
    const JsonObject d = node.object({"name", "design", "cache", "parameters"});
    PlanDesign design{d["name"].string(), d["design"].string(), d["cache"].string(), {}};
    for (const auto &[key, value] : d["parameters"].members())
      design.parameters[key] = value.integer(1, 65536);
    plan.designs.push_back(std::move(design));
  }
  for (const JsonNode &node : top["networks"].items()) {
    const JsonObject n = node.object({"name", "file"});
    plan.networks.push_back({n["name"].string(), n["file"].string()});
  }
  for (const JsonNode &node : top["points"].items()) {
    const JsonObject p =
        node.object({"id", "design", "network", "rails_v", "period_us", "deadline_us"});
    PlanPoint point{p["id"].string(),          p["design"].string(),
                    p["network"].string(),     {},
                    p["period_us"].positive(), p["deadline_us"].positive()};
    for (const JsonNode &v : p["rails_v"].items()) point.rails_v.push_back(v.positive());
    const bool known_design =
        std::any_of(plan.designs.begin(), plan.designs.end(),
                    [&](const PlanDesign &d) { return d.name == point.design; });
    const bool known_network =
        std::any_of(plan.networks.begin(), plan.networks.end(),
                    [&](const PlanNetwork &n) { return n.name == point.network; });
    if (!known_design || !known_network)
      node.fail(11203, fmt::format("point {} names a {} the plan does not have", point.id,
                                   known_design ? "network" : "design point"));
    plan.points.push_back(std::move(point));
  }
  return plan;
}

SweepPlan readPlan(const std::string &path) { return planFromText(readTextFile(path), path); }

}  // namespace pf::sweep
