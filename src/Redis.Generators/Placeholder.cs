namespace Redis.Generators;

internal static class Placeholder
{
}
