-- Drives `tally-lsp` from a real Neovim (0.7+, headless) and writes what the
-- editor observed as JSON for `lsp/tests/neovim.rs` to assert.
--
-- Inputs (environment): TALLY_LSP (the server binary), TALLY_ROOT (the
-- repository root, for examples/), TALLY_OUT (where to write the JSON).
-- Uses only APIs Neovim 0.7 has: `vim.lsp.start_client` + `buf_attach_client`.
-- Every wait is bounded; on any failure the script writes `{ "error": ... }`
-- and exits non-zero, so the test fails with the reason instead of hanging.

local server = os.getenv('TALLY_LSP')
local root = os.getenv('TALLY_ROOT')
local out = os.getenv('TALLY_OUT')
local STEP_MS = 10000 -- one wait (diagnostics, a request)
local TOTAL_MS = 45000 -- the whole script

local function write_json(value)
  local file = assert(io.open(out, 'w'))
  file:write(vim.fn.json_encode(value))
  file:close()
end

local function fail(message)
  pcall(write_json, { error = message })
  vim.cmd('cquit! 3')
end

-- A watchdog for the whole script: timers still fire inside `vim.wait`.
vim.defer_fn(function()
  fail('the Neovim script timed out after ' .. TOTAL_MS .. ' ms')
end, TOTAL_MS)

local function wait_for(what, condition)
  if not vim.wait(STEP_MS, condition, 20) then
    error('timed out waiting for ' .. what, 0)
  end
end

--- Opens a file in the current window and attaches the client to it.
local function open(client_id, relative)
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. relative))
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.lsp.buf_attach_client(bufnr, client_id) then
    error('could not attach the client to ' .. relative, 0)
  end
  return bufnr
end

--- Puts the cursor on the first occurrence of `needle` (plus `shift` columns).
local function cursor_on(needle, shift)
  local line = vim.fn.search(vim.fn.escape(needle, '\\/.*$^~[]'), 'cw')
  if line == 0 then
    error('`' .. needle .. '` is not in the buffer', 0)
  end
  local col = vim.api.nvim_win_get_cursor(0)[2]
  vim.api.nvim_win_set_cursor(0, { line, col + (shift or 0) })
end

--- Sends a request for the cursor's position and returns the server's result.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, STEP_MS)
  if not responses then
    error(method .. ' got no answer: ' .. tostring(err), 0)
  end
  for _, response in pairs(responses) do
    -- Neovim 0.7 names the error `error`, later versions `err`.
    if response.err or response.error then
      error(method .. ' failed: ' .. vim.inspect(response.err or response.error), 0)
    end
    return response.result
  end
  error(method .. ' got no response from the client', 0)
end

local function run()
  local client_id = vim.lsp.start_client({
    name = 'tally',
    cmd = { server },
    root_dir = root,
    flags = { debounce_text_changes = 0 },
  })
  if not client_id then
    error('vim.lsp.start_client did not start ' .. tostring(server), 0)
  end
  local observed = {}

  -- Diagnostics of a broken file, as Neovim stored them.
  local broken = open(client_id, 'examples/reject/type_mismatch.tly')
  wait_for('diagnostics of type_mismatch.tly', function()
    return #vim.diagnostic.get(broken) > 0
  end)
  observed.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(broken)) do
    table.insert(observed.diagnostics, {
      code = d.code,
      severity = d.severity,
      source = d.source,
      message = d.message,
      range = { d.lnum, d.col, d.end_lnum, d.end_col },
    })
  end

  -- Hover on a call of a standard-library function.
  local higher = open(client_id, 'examples/higher_order.tly')
  cursor_on('filter(|x|', 0)
  local hover = request(higher, 'textDocument/hover', vim.lsp.util.make_position_params(0, 'utf-16'))
  observed.hover = hover and hover.contents

  -- Go to definition of `map`: Neovim jumps into the standard library's file.
  cursor_on('map(xs', 0)
  local target = request(higher, 'textDocument/definition', vim.lsp.util.make_position_params(0, 'utf-16'))
  if not target then
    error('no definition for `map`', 0)
  end
  if vim.tbl_islist(target) then
    target = target[1]
  end
  if not vim.lsp.util.jump_to_location(target, 'utf-16') then
    error('Neovim could not jump to ' .. vim.inspect(target), 0)
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  observed.definition = {
    file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'),
    on_disk = vim.fn.filereadable(vim.api.nvim_buf_get_name(0)) == 1,
    line_text = vim.api.nvim_get_current_line(),
    column = cursor[2],
  }

  -- Completion after `std::list::`, typed into the buffer (a didChange).
  vim.api.nvim_set_current_buf(higher)
  local last = vim.api.nvim_buf_line_count(higher)
  local typed = 'pub fn extra(limit: Int) -> Int { std::list:: }'
  vim.api.nvim_buf_set_lines(higher, last, last, false, { typed })
  vim.api.nvim_win_set_cursor(0, { last + 1, #'pub fn extra(limit: Int) -> Int { std::list::' })
  local completion = request(higher, 'textDocument/completion', vim.lsp.util.make_position_params(0, 'utf-16'))
  local items = completion and (completion.items or completion) or {}
  observed.completion = {}
  for _, item in ipairs(items) do
    table.insert(observed.completion, { label = item.label, kind = item.kind, detail = item.detail })
  end

  -- The half-typed line does not parse: Neovim gets the new diagnostics.
  wait_for('diagnostics of the edited higher_order.tly', function()
    return #vim.diagnostic.get(higher) > 0
  end)
  observed.after_edit = {}
  for _, d in ipairs(vim.diagnostic.get(higher)) do
    table.insert(observed.after_edit, { code = d.code, line = d.lnum, last_line = last })
  end

  -- A new function typed without its `}`: one diagnostic, and completion of
  -- the fields after `e.` still works. (A buffer not on disk.)
  local scratch = open(client_id, 'scratch_e2e.tly')
  local function set_text(lines)
    vim.api.nvim_buf_set_lines(scratch, 0, -1, false, lines)
  end
  local function lens_titles()
    local lenses = request(scratch, 'textDocument/codeLens', { textDocument = vim.lsp.util.make_text_document_params(scratch) }) or {}
    local titles = {}
    for _, lens in ipairs(lenses) do
      table.insert(titles, lens.command and lens.command.title or '')
    end
    return titles
  end
  set_text({
    'struct Entry { owner: Bytes, amount: Int }',
    '',
    'fn net(e: Entry) -> Int {',
    '  let cost = 1;',
    '  e.',
    '',
    'fn double(x: Int) -> Int { x * 2 }',
  })
  wait_for('the diagnostic of the unclosed body', function()
    local found = vim.diagnostic.get(scratch)
    return #found == 1 and found[1].code == 'E0108'
  end)
  -- After the `.` (normal mode cannot put the cursor past a line's end).
  local fields = request(scratch, 'textDocument/completion', {
    textDocument = vim.lsp.util.make_text_document_params(scratch),
    position = { line = 4, character = 4 },
  })
  observed.typing = { diagnostic = vim.diagnostic.get(scratch)[1].code, fields = {} }
  for _, item in ipairs(fields and (fields.items or fields) or {}) do
    table.insert(observed.typing.fields, item.label)
  end
  table.sort(observed.typing.fields)

  -- A rename that would change what `bob` refers to is refused.
  set_text({ 'fn fee(bob: Int) -> Int {', '  let alice = 1;', '  alice + bob', '}' })
  wait_for('the renamable text to be checked', function()
    return #vim.diagnostic.get(scratch) == 0
  end)
  vim.api.nvim_win_set_cursor(0, { 2, 6 })
  local params = vim.lsp.util.make_position_params(0, 'utf-16')
  params.newName = 'bob'
  local responses = vim.lsp.buf_request_sync(scratch, 'textDocument/rename', params, STEP_MS) or {}
  for _, response in pairs(responses) do
    -- Neovim 0.7 names the error `error`, later versions `err`.
    local refused = response.err or response.error
    observed.rename_refusal = refused and refused.message or 'not refused'
  end

  -- Gas lenses, on a function and on a standard-library call; kept (stale)
  -- while the file has a syntax error.
  set_text({ 'pub fn doubled(xs: List<Int>) -> List<Int> {', '  std::list::map(xs, |x| x * 2)', '}' })
  wait_for('the lens text to be checked', function()
    return #vim.diagnostic.get(scratch) == 0
  end)
  observed.lenses = lens_titles()
  vim.wait(300)
  set_text({ 'pub fn doubled(xs: List<Int>) -> List<Int> {', '  std::list::map(xs, |x| x * )', '}' })
  wait_for('the syntax error', function()
    return #vim.diagnostic.get(scratch) > 0
  end)
  observed.stale_lenses = lens_titles()

  -- A code action (the missing arms of a match), applied by Neovim.
  set_text({
    'enum Status { Open, Closed(Int) }',
    '',
    'fn code(s: Status) -> Int {',
    '  match s {',
    '    Open => 0,',
    '  }',
    '}',
  })
  wait_for('the non-exhaustive match', function()
    local found = vim.diagnostic.get(scratch)
    return #found == 1 and found[1].code == 'E0401'
  end)
  vim.api.nvim_win_set_cursor(0, { 4, 2 })
  local at = vim.lsp.util.make_range_params(0, 'utf-16')
  at.context = { diagnostics = {} }
  local actions = request(scratch, 'textDocument/codeAction', at) or {}
  if #actions == 0 then
    error('no code action for the non-exhaustive match', 0)
  end
  observed.action = actions[1].title
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
  wait_for('the match to check clean after the action', function()
    return #vim.diagnostic.get(scratch) == 0
  end)
  observed.after_action = vim.api.nvim_buf_get_lines(scratch, 0, -1, false)

  -- Stop the server cleanly (shutdown, exit) before leaving.
  local client = vim.lsp.get_client_by_id(client_id)
  client.stop()
  wait_for('the server to exit', function()
    return client.is_stopped()
  end)
  return observed
end

local ok, result = pcall(run)
if ok then
  write_json(result)
  vim.cmd('qall!')
else
  fail(tostring(result))
end
