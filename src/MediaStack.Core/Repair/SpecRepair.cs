using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Workload;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Repair;

// Spec repairs go through the sidecar planner, the same code as Add-RcloneSidecar: one plan
// per Deployment, carried out as one guarded JSON patch (cluster) or one in-place YAML edit
// (file). There is no second implementation of any spec change here.
public static class SpecRepair
{
    public static SidecarPlan Plan(DeploymentRepair repair, JsonObject deployment, MediaStackConfig config)
    {
        var template = deployment["spec"]?["template"];
        var view = new PodSpecView(template?["metadata"] as JsonObject ?? [], template?["spec"] as JsonObject ?? [], "spec.template.spec", repair.Name, config);
        var existing = config.Mounts.Where(mount => view.SidecarFor(mount) is not null).Select(mount => mount.Name);
        return SidecarPlanner.Plan(deployment, config, new SidecarPlanOptions { Mounts = repair.MountsFor(existing) });
    }

    // The file edit for a Deployment found by static diagnosis; nothing is written yet.
    public static (SidecarPlan Plan, FileEdit Edit) PlanFile(DeploymentRepair repair, MediaStackConfig config)
    {
        var target = ManifestFiles.FindDeployments(repair.File!, repair.Name).First();
        var plan = Plan(repair, target.Deployment, config);
        return (plan, ManifestFiles.Edit(target, plan.Operations));
    }
}
