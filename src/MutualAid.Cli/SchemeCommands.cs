using System.CommandLine;

namespace MutualAid.Cli;

/// <summary><c>mutualaid scheme …</c>: the scheme files.</summary>
internal static class SchemeCommands
{
    public static Command Create() => new("scheme", "互助保障方案") { Check() };

    /// <summary><c>scheme check FILE</c>: every problem of a scheme file, or a summary of its plans.</summary>
    private static Command Check()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "方案文件（JSON）" };
        var command = new Command("check", "检查方案文件，列出全部问题") { file };
        command.SetAction(parse =>
        {
            if (Input.ReadScheme(parse.GetValue(file)!, showWarnings: true) is not { } scheme)
                return ExitCodes.Invalid;
            Console.WriteLine($"{scheme.Code} {scheme.Name}：{scheme.Plans.Count} 个计划");
            foreach (var plan in scheme.Plans)
            {
                var versions = string.Join("、", plan.Versions.Select(v => $"{v.EffectiveFrom:yyyy-MM-dd} 起 {v.Benefits.Count} 项待遇，{v.Premium.ToDisplayString()} 元"));
                Console.WriteLine($"  {plan.Code} {plan.Name}：{versions}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
