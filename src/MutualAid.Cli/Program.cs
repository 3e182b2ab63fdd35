using System.CommandLine;
using System.Globalization;
using MutualAid.Cli;

// Messages are for Chinese readers: 80%, 1,234.50. Files and JSON are written invariantly.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("zh-CN");

var root = new RootCommand("职工互助保障管理系统 MutualAid")
{
    CalcCommand.Create(),
    SchemeCommands.Create(),
    DbCommands.Create(),
    OrgCommands.Org(),
    OrgCommands.Unit(),
    ImportCommands.Create(),
    ImportCommands.Template(),
    DemoCommand.Create(),
    ClaimCommands.Create(),
    NoticeCommands.Create(),
    PaymentCommands.Payments(),
    PaymentCommands.Ledger(),
    FundReportCommands.Budget(),
    ReliefCommands.Create(),
    DocumentCommands.Create(),
    PartnerCommands.Create(),
    UserCommands.Create(),
    ReplayCommands.Recompute(),
    ReplayCommands.WhatIf(),
    RegionCommands.Region(),
    RegionCommands.Office(),
    ArchiveCommands.Create(),
};
// --region on every verb: act in one pooling region of a PostgreSQL database holding several.
var region = new Option<string?>("--region") { Description = $"统筹区代码：在该统筹区的库中操作（多统筹区的 PostgreSQL）；默认取 {MutualAid.Organisation.RegionDirectory.EnvironmentVariable}", Recursive = true };
root.Options.Add(region);
foreach (var command in EnrollmentVerbs.Create())
    root.Subcommands.Add(command);
var parsed = root.Parse(args);
if (parsed.GetValue(region) is { Length: > 0 } code)
    Environment.SetEnvironmentVariable(MutualAid.Organisation.RegionDirectory.EnvironmentVariable, code);
Shared.Audited = Audit.Of(parsed, args);
return await parsed.InvokeAsync();
