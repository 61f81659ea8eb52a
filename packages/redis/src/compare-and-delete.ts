/**
 * Deletes `KEYS[1]` only while it still holds `ARGV[1]`, atomically: releases a lock only if it is still
 * ours (its random fencing value), and deletes a token only if it is still the one that was read.
 */
export const compareAndDelete = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
