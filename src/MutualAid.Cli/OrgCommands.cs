using System.CommandLine;
using MutualAid.Organisation;
using MutualAid.Units;

namespace MutualAid.Cli;

/// <summary><c>mutualaid org …</c> and <c>mutualaid unit …</c>: the organisation and the employer units.</summary>
internal static class OrgCommands
{
    public static Command Org()
    {
        var command = new Command("org", "统筹区、区县与服务网点")
        {
            Verb("region", "设置统筹区（城市）", ["CODE", "NAME"], (o, a, ct) => o.SetRegionAsync(a[0], a[1], ct)),
            Verb("district", "增加区县", ["CODE", "NAME"], (o, a, ct) => o.AddDistrictAsync(a[0], a[1], ct)),
            Verb("point", "增加服务网点", ["DISTRICT", "NAME"], (o, a, ct) => o.AddServicePointAsync(a[0], a[1], null, ct)),
        };
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var list = new Command("list", "列出统筹区、区县与服务网点") { db, json };
        list.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var view = await new OrganisationCommands(context).ShowAsync(ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(view);
                return ExitCodes.Ok;
            }
            Console.WriteLine(view.RegionCode is null ? "尚未设置统筹区" : $"{view.RegionCode} {view.RegionName}");
            foreach (var district in view.Districts)
                Console.WriteLine($"  {district.Code} {district.Name}：{string.Join("、", district.ServicePoints)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Unit()
    {
        var code = new Argument<string>("CODE") { Description = "统一社会信用代码" };
        var name = new Argument<string>("NAME") { Description = "单位名称" };
        var district = new Option<string>("--district") { Description = "所属区县代码", Required = true };
        var kind = new Option<string>("--kind") { Description = $"单位性质：{string.Join("、", UnitCommands.KindNames.Keys)}", Required = true };
        var headcount = new Option<int>("--headcount") { Description = "在职职工人数", Required = true };
        var women = new Option<int>("--women") { Description = "女职工人数" };
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var by = new Option<string?>("--by") { Description = "经办人（已登记的用户名）：按其范围登记；不给则记为运行命令的系统用户" };
        var add = new Command("add", "登记或更新单位") { code, name, district, kind, headcount, women, by, db, json };
        add.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var input = new UnitInput(parse.GetValue(code)!, parse.GetValue(name)!, parse.GetValue(district)!, parse.GetValue(kind)!, parse.GetValue(headcount), parse.GetValue(women));
            var scope = parse.GetValue(by) is { } user ? await Shared.ScopeAsync(context, user, ct) : null;
            var unit = await new UnitCommands(context).SaveAsync(input, scope, scope is null ? Shared.OperatingSystemUser : Auditing.Actor.Cli(scope.UserName), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(new { unit.Code, unit.Name });
            else
                Console.WriteLine($"已保存 {unit.Code} {unit.Name}");
            return ExitCodes.Ok;
        }, cancellationToken));

        var listDb = Shared.DbOption();
        var listJson = Shared.JsonOption();
        var listDistrict = new Option<string?>("--district") { Description = "只列某区县" };
        var list = new Command("list", "列出单位") { listDistrict, listDb, listJson };
        list.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(listDb), async (context, ct) =>
        {
            var units = await new UnitCommands(context).ListAsync(parse.GetValue(listDistrict), ct);
            if (parse.GetValue(listJson))
                Shared.WriteJson(units);
            else
                foreach (var u in units)
                    Console.WriteLine($"{u.Code}\t{u.Name}\t{u.District}\t{u.Kind}\t职工 {u.Headcount}（女 {u.FemaleHeadcount}）\t会员 {u.Members}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return new Command("unit", "参保单位") { add, list };
    }

    /// <summary>A verb of positional arguments that calls one organisation command.</summary>
    private static Command Verb(string name, string description, string[] arguments, Func<OrganisationCommands, string[], CancellationToken, Task> run)
    {
        var args = arguments.Select(a => new Argument<string>(a)).ToList();
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command(name, description) { db, json };
        foreach (var arg in args)
            command.Arguments.Add(arg);
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var values = args.Select(a => parse.GetValue(a)!).ToArray();
            await run(new OrganisationCommands(context), values, ct);
            if (parse.GetValue(json))
                Shared.WriteJson(new { saved = values });
            else
                Console.WriteLine($"已保存：{string.Join(" ", values)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
