using System.CommandLine;
using MutualAid.Cli;

var root = new RootCommand("职工互助保障管理系统 MutualAid")
{
    CalcCommand.Create(),
    SchemeCommands.Create(),
    DbCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
