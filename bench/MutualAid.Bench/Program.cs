using System.Globalization;
using MutualAid.Bench;

// dotnet run -c Release --project bench/MutualAid.Bench -- calc [events] [members]
// dotnet run -c Release --project bench/MutualAid.Bench -- import [rows]       (PostgreSQL too when MUTUALAID_BENCH_PG is set)
// dotnet run -c Release --project bench/MutualAid.Bench -- settlements [rows]  (likewise)
// dotnet run -c Release --project bench/MutualAid.Bench -- settlements-pg [rows]  (PostgreSQL only)
// dotnet run -c Release --project bench/MutualAid.Bench -- pages               (every page of every role on the demo city)
// dotnet run -c Release --project bench/MutualAid.Bench -- city [members] [keep.db]  (every page on a city at scale; likewise)
// dotnet run -c Release --project bench/MutualAid.Bench -- city-pg [members] [keep]   (the same on PostgreSQL only; a kept database is timed again)
// dotnet run -c Release --project bench/MutualAid.Bench -- whatif DB [year]   (重算 and 测算 of a year on a kept city)
var what = args.FirstOrDefault() ?? "calc";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
switch (what)
{
    case "calc":
        CalculatorBenchmark.Run(Arg(1, 1_000_000), Arg(2, 200_000));
        break;
    case "import":
        await ImportBenchmark.RunAsync(Arg(1, 100_000));
        break;
    case "settlements":
        await SettlementBenchmark.RunAsync(Arg(1, 1_000_000));
        break;
    case "settlements-pg":
        await SettlementBenchmark.RunAsync(Arg(1, 1_000_000), postgresOnly: true);
        break;
    case "city":
        await CityBenchmark.RunAsync(Arg(1, 2_000_000), args.Length > 2 ? args[2] : null);
        break;
    case "city-pg":
        await CityBenchmark.RunAsync(Arg(1, 2_000_000), args.Length > 2 ? args[2] : null, postgresOnly: true);
        break;
    case "pages":
        await PageBenchmark.RunAsync();
        break;
    case "whatif":
        await ReplayBenchmark.RunAsync(args[1], Arg(2, 2026));
        break;
    case "settlements-import":
        await SettlementBenchmark.ImportAsync(args[1], args[2]);
        break;
    default:
        Console.Error.WriteLine("usage: MutualAid.Bench calc [events] [members] | import [rows] | settlements [rows] | settlements-pg [rows] | pages | city [members] [keep.db] | city-pg [members] [keep] | whatif DB [year]");
        return 2;
}
return 0;
