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
    PartnerCommands.Create(),
    UserCommands.Create(),
    ReplayCommands.Recompute(),
    ReplayCommands.WhatIf(),
};
foreach (var command in EnrollmentVerbs.Create())
    root.Subcommands.Add(command);
var parsed = root.Parse(args);
Shared.Audited = Audit.Of(parsed, args);
return await parsed.InvokeAsync();
