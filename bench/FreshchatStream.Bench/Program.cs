using FreshchatStream.Bench;

return args.FirstOrDefault() switch
{
    "landers" => await LanderBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FreshchatStream.Bench landers [--rows N] [--batch N] [--postgres CONNECTION]");
    return 2;
}
