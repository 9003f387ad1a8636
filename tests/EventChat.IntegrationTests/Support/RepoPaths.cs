namespace EventChat.IntegrationTests.Support;

/// <summary>Finds the executables built beside this test assembly, in the same configuration.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the segment above <c>net10.0</c> in this assembly's output path.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string ApiDll => Built(Path.Combine("src", "Api"), "EventChat.Api.dll");

    public static string WorkersDll => Built(Path.Combine("src", "Workers"), "EventChat.Workers.dll");

    public static string LoadTestDll => Built(Path.Combine("tools", "EventChat.LoadTest"), "EventChat.LoadTest.dll");

    public static string ApiContentRoot => Path.Combine(Root, "src", "Api");

    public static string WorkersContentRoot => Path.Combine(Root, "src", "Workers");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{dll} is not built at {path}; build the solution first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EventChat.sln not found above the test assembly.");
    }
}
