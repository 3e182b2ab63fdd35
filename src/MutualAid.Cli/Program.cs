using System.CommandLine;
using MutualAid.Cli;

var root = new RootCommand("职工互助保障管理系统 MutualAid")
{
    CalcCommand.Create(),
    SchemeCommands.Create(),
    DbCommands.Create(),
    OrgCommands.Org(),
    OrgCommands.Unit(),
    ImportCommands.Create(),
    ImportCommands.Template(),
};
return await root.Parse(args).InvokeAsync();
