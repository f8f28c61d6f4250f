# upf_check.tcl -- strict reader of the IEEE 1801 (UPF 2.1) subset powerflow writes
# (gen/Upf.cc; the subset and every rule below are listed in docs/upf.md).
#
#   tclsh upf_check.tcl FILE.upf
#
# UPF is Tcl. Like OpenROAD's read_upf, this sources the file with one procedure per UPF
# command; here the file runs command by command in a child interpreter that has no
# command but those (aliases into this interpreter), so anything else (set, puts, a
# misspelt command, a [substitution]) is refused by name. Each procedure parses its
# options strictly and records what was declared; references must name objects declared
# earlier. At the end the declarations are checked as a whole and summarised on stdout,
# one fact per line, each line a Tcl list; exit 0. On the first problem:
#   upf_check: error: FILE:LINE: COMMAND: message        (on stderr, exit 1)
# where LINE is the first line of the command (or of the declaration a final check is
# about).

namespace eval upf {
  variable file ""
  variable line 0
  variable cmd ""
  variable version ""
  variable top ""
  variable top_line 0
  # Each dict below maps a name to a dict of its attributes (always with `line`), in
  # declaration order.
  variable ports [dict create]
  variable nets [dict create]
  variable sets [dict create]
  variable domains [dict create]
  variable switches [dict create]
  variable isolations [dict create]
  variable retentions [dict create]
  variable shifters [dict create]
  variable pstates [dict create]  ;# object -> {line L kind set|domain states {name {...}}}
  variable port_net [dict create] ;# supply port -> the net connected to it
}

# ---- errors --------------------------------------------------------------------------------

proc upf::fail {msg} {
  error $msg {} {UPF CHECK}
}

proc upf::die {line cmd msg} {
  variable file
  set where [expr {$cmd eq "" ? "" : "$cmd: "}]
  puts stderr "upf_check: error: $file:$line: $where$msg"
  exit 1
}

# A problem found after reading, about the declaration at `line`.
proc upf::fail_at {line cmd msg} {
  die $line $cmd $msg
}

# ---- value checks ---------------------------------------------------------------------------

proc upf::identifier {value what} {
  if {![regexp {^[A-Za-z_][A-Za-z0-9_]*$} $value]} {
    fail "$what '$value' is not an identifier"
  }
  return $value
}

# A net or instance path: identifier[index]... joined by '/' (or '.', as names come).
proc upf::hier_name {value what} {
  set seg {[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])*}
  if {![regexp "^${seg}(\[/.\]${seg})*\$" $value]} {
    fail "$what '$value' is not a net or instance name"
  }
  return $value
}

proc upf::one_of {value allowed what} {
  if {$value ni $allowed} {
    fail "$what '$value' is not one of: [join $allowed {, }]"
  }
  return $value
}

proc upf::list_of {value count what} {
  if {[catch {llength $value} n] || $n != $count} {
    fail "$what '$value' must be a list of $count elements"
  }
  return $value
}

proc upf::voltage {value what} {
  if {![regexp {^[0-9]+(\.[0-9]+)?$} $value]} {
    fail "$what '$value' is not a voltage"
  }
  return [expr {double($value)}] ;# canonical: 0.60 and 0.6 are both 0.6
}

# Options of one command. Returns {positional options}; options is a dict option -> value
# (flags: 1; repeatable options: the list of values, in order).
proc upf::options {words npos flags single multi required} {
  set positional {}
  set opts [dict create]
  for {set i 0} {$i < [llength $words]} {incr i} {
    set word [lindex $words $i]
    if {[string index $word 0] ne "-"} {
      lappend positional $word
      continue
    }
    if {$word ni [concat $flags $single $multi]} {
      fail "unknown option $word"
    }
    if {$word ni $multi && [dict exists $opts $word]} {
      fail "option $word given twice"
    }
    if {$word in $flags} {
      dict set opts $word 1
      continue
    }
    if {[incr i] >= [llength $words]} {
      fail "option $word needs a value"
    }
    if {$word in $multi} {
      dict lappend opts $word [lindex $words $i]
    } else {
      dict set opts $word [lindex $words $i]
    }
  }
  if {[llength $positional] != $npos} {
    fail "expects $npos positional argument(s), got [llength $positional]: '$positional'"
  }
  foreach option $required {
    if {![dict exists $opts $option]} {
      fail "missing required option $option"
    }
  }
  return [list $positional $opts]
}

proc upf::opt {opts option default} {
  if {[dict exists $opts $option]} {
    return [dict get $opts $option]
  }
  return $default
}

# ---- lookups ----------------------------------------------------------------------------------

proc upf::need_net {net what} {
  variable nets
  if {![dict exists $nets $net]} {
    fail "$what: supply net '$net' is not declared"
  }
  return $net
}

proc upf::need_set {set what} {
  variable sets
  if {![dict exists $sets $set]} {
    fail "$what: supply set '$set' is not declared"
  }
  return $set
}

proc upf::need_domain {domain {switchable 0}} {
  variable domains
  if {![dict exists $domains $domain]} {
    fail "power domain '$domain' is not declared"
  }
  if {$switchable && [dict get $domains $domain scope]} {
    fail "power domain '$domain' includes the scope and cannot be switched"
  }
  return $domain
}

proc upf::fresh {dictname name what} {
  upvar #0 upf::$dictname table
  if {[dict exists $table $name]} {
    fail "$what '$name' is declared twice"
  }
  identifier $name $what
}

# The net a switch drives, or "" when no switch drives `net`.
proc upf::switch_driving {net} {
  variable switches
  dict for {name sw} $switches {
    if {[lindex [dict get $sw output] 1] eq $net} {
      return $name
    }
  }
  return ""
}

proc upf::primary_power {domain} {
  variable domains
  variable sets
  set set [dict get $domains $domain supply primary]
  return [dict get $sets $set functions power]
}

# ---- commands: header and supplies -------------------------------------------------------------

namespace eval upf::cmd {}

proc upf::cmd::upf_version {args} {
  lassign [upf::options $args 1 {} {} {} {}] pos
  if {$upf::version ne ""} {
    upf::fail "given twice"
  }
  set upf::version [upf::one_of [lindex $pos 0] {2.1} "version"]
}

proc upf::cmd::set_design_top {args} {
  lassign [upf::options $args 1 {} {} {} {}] pos
  if {$upf::top ne ""} {
    upf::fail "given twice"
  }
  set upf::top [upf::identifier [lindex $pos 0] "design top"]
  set upf::top_line $upf::line
}

proc upf::cmd::create_supply_port {args} {
  lassign [upf::options $args 1 {} {-direction} {} {}] pos opts
  set name [upf::fresh ports [lindex $pos 0] "supply port"]
  set direction [upf::one_of [upf::opt $opts -direction in] {in out inout} "-direction"]
  dict set upf::ports $name [dict create line $upf::line direction $direction]
}

proc upf::cmd::create_supply_net {args} {
  lassign [upf::options $args 1 {} {} {} {}] pos
  set name [upf::fresh nets [lindex $pos 0] "supply net"]
  dict set upf::nets $name [dict create line $upf::line]
}

proc upf::cmd::connect_supply_net {args} {
  lassign [upf::options $args 1 {} {-ports} {} {-ports}] pos opts
  set net [upf::need_net [lindex $pos 0] "connect_supply_net"]
  foreach port [dict get $opts -ports] {
    if {![dict exists $upf::ports $port]} {
      upf::fail "supply port '$port' is not declared"
    }
    if {[dict exists $upf::port_net $port]} {
      upf::fail "supply port '$port' is already connected to [dict get $upf::port_net $port]"
    }
    dict set upf::port_net $port $net
  }
}

proc upf::cmd::create_supply_set {args} {
  lassign [upf::options $args 1 {} {} {-function} {-function}] pos opts
  set name [upf::fresh sets [lindex $pos 0] "supply set"]
  if {[dict exists $upf::domains $name]} {
    upf::fail "supply set '$name' has the name of a power domain"
  }
  set functions [dict create]
  foreach function [dict get $opts -function] {
    lassign [upf::list_of $function 2 "-function"] func net
    upf::one_of $func {power ground nwell pwell deepnwell deeppwell} "function"
    if {[dict exists $functions $func]} {
      upf::fail "function '$func' given twice"
    }
    dict set functions $func [upf::need_net $net "-function $func"]
  }
  foreach func {power ground} {
    if {![dict exists $functions $func]} {
      upf::fail "supply set '$name' has no $func function"
    }
  }
  dict set upf::sets $name [dict create line $upf::line functions $functions]
}

# ---- commands: domains and switches -----------------------------------------------------------

proc upf::cmd::create_power_domain {args} {
  lassign [upf::options $args 1 {-include_scope} {-elements} {-supply} {-supply}] pos opts
  if {$upf::top eq ""} {
    upf::fail "set_design_top must come before the first power domain"
  }
  set name [upf::fresh domains [lindex $pos 0] "power domain"]
  if {[dict exists $upf::sets $name]} {
    upf::fail "power domain '$name' has the name of a supply set"
  }
  set supply [dict create]
  foreach entry [dict get $opts -supply] {
    lassign [upf::list_of $entry 2 "-supply"] handle set
    upf::one_of $handle {primary default_isolation default_retention} "supply handle"
    if {[dict exists $supply $handle]} {
      upf::fail "supply handle '$handle' given twice"
    }
    dict set supply $handle [upf::need_set $set "-supply $handle"]
  }
  if {![dict exists $supply primary]} {
    upf::fail "power domain '$name' has no primary supply (-supply {primary SET})"
  }
  set scope [dict exists $opts -include_scope]
  dict for {other domain} $upf::domains {
    if {$scope && [dict get $domain scope]} {
      upf::fail "domain '$other' already includes the scope"
    }
  }
  set elements [upf::opt $opts -elements {}]
  if {!$scope && [llength $elements] == 0} {
    upf::fail "power domain '$name' has neither -elements nor -include_scope"
  }
  foreach element $elements {
    upf::hier_name $element "element"
    dict for {other domain} $upf::domains {
      if {$element in [dict get $domain elements]} {
        upf::fail "element '$element' is already in power domain '$other'"
      }
    }
  }
  dict set upf::domains $name \
    [dict create line $upf::line scope $scope elements $elements supply $supply]
}

# A switch's Boolean expression: control ports joined by &&, each maybe negated.
# Returns a dict port -> 1 (port high) or 0 (port low).
proc upf::switch_expr {expr ctrl_ports what} {
  set literals [dict create]
  foreach term [split [string map {&& \x01} $expr] \x01] {
    set term [string trim $term]
    if {![regexp {^(!?)([A-Za-z_][A-Za-z0-9_]*)$} $term -> neg port]} {
      fail "$what: term '$term' of '$expr' is not a control port or its negation"
    }
    if {$port ni $ctrl_ports} {
      fail "$what: '$port' is not a control port of this switch"
    }
    if {[dict exists $literals $port]} {
      fail "$what: control port '$port' appears twice in '$expr'"
    }
    dict set literals $port [expr {$neg eq "" ? 1 : 0}]
  }
  return $literals
}

# Two conjunctions of literals can hold together unless one port has opposite values.
proc upf::can_overlap {a b} {
  dict for {port value} $a {
    if {[dict exists $b $port] && [dict get $b $port] != $value} {
      return 0
    }
  }
  return 1
}

proc upf::cmd::create_power_switch {args} {
  set multi {-input_supply_port -control_port -on_state}
  set single {-domain -output_supply_port -off_state -ack_port}
  lassign [upf::options $args 1 {} $single $multi [concat $single $multi]] pos opts
  set name [upf::fresh switches [lindex $pos 0] "power switch"]
  set domain [upf::need_domain [dict get $opts -domain] 1]
  dict for {other sw} $upf::switches {
    if {[dict get $sw domain] eq $domain} {
      upf::fail "power domain '$domain' already has switch '$other'"
    }
  }
  set port_names {}
  set output [upf::list_of [dict get $opts -output_supply_port] 2 "-output_supply_port"]
  lassign $output out_port out_net
  upf::need_net $out_net "-output_supply_port"
  if {[upf::switch_driving $out_net] ne ""} {
    upf::fail "supply net '$out_net' is already driven by switch '[upf::switch_driving $out_net]'"
  }
  if {$out_net in [dict values $upf::port_net]} {
    upf::fail "supply net '$out_net' is a rail (connected to a supply port), not a switched net"
  }
  lappend port_names [upf::identifier $out_port "switch port"]
  set inputs {}
  foreach input [dict get $opts -input_supply_port] {
    lassign [upf::list_of $input 2 "-input_supply_port"] port net
    lappend inputs [list [upf::identifier $port "switch port"] [upf::need_net $net "-input_supply_port"]]
    lappend port_names $port
  }
  set controls {}
  foreach control [dict get $opts -control_port] {
    lassign [upf::list_of $control 2 "-control_port"] port net
    lappend controls [list [upf::identifier $port "switch port"] [upf::hier_name $net "control net"]]
    lappend port_names $port
  }
  set ack [dict get $opts -ack_port]
  if {[catch {llength $ack} n] || $n < 2 || $n > 3} {
    upf::fail "-ack_port '$ack' must be {port net ?{expression}?}"
  }
  lappend port_names [upf::identifier [lindex $ack 0] "switch port"]
  upf::hier_name [lindex $ack 1] "acknowledge net"
  if {[llength [lsort -unique $port_names]] != [llength $port_names]} {
    upf::fail "switch port names repeat: $port_names"
  }
  set ctrl_ports [lmap c $controls {lindex $c 0}]
  set in_ports [lmap i $inputs {lindex $i 0}]
  set states [dict create]
  set used_inputs {}
  foreach on [dict get $opts -on_state] {
    lassign [upf::list_of $on 3 "-on_state"] state port expr
    if {[dict exists $states $state]} {
      upf::fail "switch state '$state' given twice"
    }
    if {$port ni $in_ports} {
      upf::fail "-on_state $state: '$port' is not an input supply port of this switch"
    }
    lappend used_inputs $port
    dict set states $state [upf::switch_expr $expr $ctrl_ports "-on_state $state"]
  }
  lassign [upf::list_of [dict get $opts -off_state] 2 "-off_state"] off_state off_expr
  if {[dict exists $states $off_state]} {
    upf::fail "switch state '$off_state' given twice"
  }
  dict set states $off_state [upf::switch_expr $off_expr $ctrl_ports "-off_state $off_state"]
  foreach port $in_ports {
    if {$port ni $used_inputs} {
      upf::fail "input supply port '$port' is in no -on_state"
    }
  }
  set names [dict keys $states]
  for {set i 0} {$i < [llength $names]} {incr i} {
    for {set j [expr {$i + 1}]} {$j < [llength $names]} {incr j} {
      set a [lindex $names $i]
      set b [lindex $names $j]
      if {[upf::can_overlap [dict get $states $a] [dict get $states $b]]} {
        upf::fail "switch states '$a' and '$b' can hold at the same time"
      }
    }
  }
  dict set upf::switches $name [dict create line $upf::line domain $domain output $output \
    inputs $inputs controls $controls ack [lrange $ack 0 1]]
}

# ---- commands: strategies --------------------------------------------------------------------

proc upf::cmd::set_isolation {args} {
  set required {-domain -isolation_signal -clamp_value -applies_to -isolation_supply}
  lassign [upf::options $args 1 {} [concat $required -isolation_sense -location] {} $required] \
    pos opts
  set name [upf::fresh isolations [lindex $pos 0] "isolation strategy"]
  set domain [upf::need_domain [dict get $opts -domain] 1]
  dict for {other iso} $upf::isolations {
    if {[dict get $iso domain] eq $domain} {
      upf::fail "power domain '$domain' already has isolation strategy '$other'"
    }
  }
  dict set upf::isolations $name [dict create line $upf::line domain $domain \
    signal [upf::hier_name [dict get $opts -isolation_signal] "-isolation_signal"] \
    sense [upf::one_of [upf::opt $opts -isolation_sense high] {high low} "-isolation_sense"] \
    clamp [upf::one_of [dict get $opts -clamp_value] {0 1} "-clamp_value"] \
    applies_to [upf::one_of [dict get $opts -applies_to] {inputs outputs both} "-applies_to"] \
    location [upf::one_of [upf::opt $opts -location self] {self parent fanout other} "-location"] \
    supply [upf::need_set [dict get $opts -isolation_supply] "-isolation_supply"]]
}

proc upf::cmd::set_retention {args} {
  set required {-domain -retention_supply}
  lassign [upf::options $args 1 {} $required {} $required] pos opts
  set name [upf::fresh retentions [lindex $pos 0] "retention strategy"]
  set domain [upf::need_domain [dict get $opts -domain] 1]
  dict for {other ret} $upf::retentions {
    if {[dict get $ret domain] eq $domain} {
      upf::fail "power domain '$domain' already has retention strategy '$other'"
    }
  }
  dict set upf::retentions $name [dict create line $upf::line domain $domain \
    supply [upf::need_set [dict get $opts -retention_supply] "-retention_supply"]]
}

proc upf::retention_signal {value option} {
  lassign [upf::list_of $value 2 $option] net sense
  upf::hier_name $net "$option net"
  upf::one_of $sense {high low posedge negedge} "$option sense"
  return $value
}

proc upf::cmd::set_retention_control {args} {
  set required {-domain -save_signal -restore_signal}
  lassign [upf::options $args 1 {} $required {} $required] pos opts
  set name [lindex $pos 0]
  if {![dict exists $upf::retentions $name]} {
    upf::fail "retention strategy '$name' is not declared"
  }
  if {[dict exists $upf::retentions $name save]} {
    upf::fail "retention strategy '$name' already has its control"
  }
  if {[dict get $opts -domain] ne [dict get $upf::retentions $name domain]} {
    upf::fail "retention strategy '$name' belongs to domain\
      '[dict get $upf::retentions $name domain]', not '[dict get $opts -domain]'"
  }
  dict set upf::retentions $name save [upf::retention_signal [dict get $opts -save_signal] -save_signal]
  dict set upf::retentions $name restore \
    [upf::retention_signal [dict get $opts -restore_signal] -restore_signal]
}

proc upf::cmd::set_level_shifter {args} {
  lassign [upf::options $args 1 {} {-domain -applies_to -rule -location -threshold} {} {-domain}] \
    pos opts
  set name [upf::fresh shifters [lindex $pos 0] "level shifter strategy"]
  set domain [upf::need_domain [dict get $opts -domain]]
  if {[dict exists $opts -threshold]} {
    upf::voltage [dict get $opts -threshold] "-threshold"
  }
  dict set upf::shifters $name [dict create line $upf::line domain $domain \
    applies_to [upf::one_of [upf::opt $opts -applies_to both] {inputs outputs both} "-applies_to"] \
    rule [upf::one_of [upf::opt $opts -rule both] {low_to_high high_to_low both} "-rule"] \
    location [upf::one_of [upf::opt $opts -location self] {self parent fanout automatic} "-location"]]
}

# ---- commands: power states ------------------------------------------------------------------

# power == `{FULL_ON, 0.80} && ground == `{OFF}: returns a dict function -> volts or "off".
proc upf::supply_expr {set expr what} {
  variable sets
  set values [dict create]
  foreach term [split [string map {&& \x01} $expr] \x01] {
    set term [string trim $term]
    if {![regexp {^([a-z]+) == `\{(FULL_ON|OFF)(, *([^ ]+))?\}$} $term -> func value - volts]} {
      fail "$what: term '$term' is not 'function == `{FULL_ON, volts}' or 'function == `{OFF}'"
    }
    if {![dict exists $sets $set functions $func]} {
      fail "$what: supply set '$set' has no function '$func'"
    }
    if {[dict exists $values $func]} {
      fail "$what: function '$func' appears twice"
    }
    if {$value eq "OFF" && $volts ne ""} {
      fail "$what: OFF takes no voltage"
    }
    if {$value eq "FULL_ON" && $volts eq ""} {
      fail "$what: FULL_ON needs a voltage"
    }
    if {$value eq "OFF"} {
      dict set values $func off
    } else {
      dict set values $func [voltage $volts "$what: voltage"]
    }
  }
  if {![dict exists $values power]} {
    fail "$what: the power function's state is not given"
  }
  return $values
}

# dom == STATE, set == STATE or net == 0/1, joined by &&: returns the list of {lhs rhs}.
proc upf::logic_expr {expr what} {
  variable pstates
  set terms {}
  foreach term [split [string map {&& \x01} $expr] \x01] {
    set term [string trim $term]
    if {![regexp {^([^ =]+) == ([^ =]+)$} $term -> lhs rhs]} {
      fail "$what: term '$term' is not 'object == state' or 'net == 0|1'"
    }
    if {$lhs in [lmap t $terms {lindex $t 0}]} {
      fail "$what: '$lhs' appears twice"
    }
    if {[dict exists $upf::sets $lhs] || [dict exists $upf::domains $lhs]} {
      if {![dict exists $pstates $lhs states $rhs]} {
        fail "$what: '$lhs' has no power state '$rhs' (declared before this command)"
      }
    } elseif {$rhs in {0 1}} {
      hier_name $lhs "$what: logic net"
    } else {
      fail "$what: '$lhs' is not a declared supply set or power domain"
    }
    lappend terms [list $lhs $rhs]
  }
  return $terms
}

proc upf::cmd::add_power_state {args} {
  lassign [upf::options $args 1 {} {} {-state} {-state}] pos opts
  set object [lindex $pos 0]
  if {[dict exists $upf::sets $object]} {
    set kind set
  } elseif {[dict exists $upf::domains $object]} {
    set kind domain
  } else {
    upf::fail "'$object' is neither a supply set nor a power domain"
  }
  if {[dict exists $upf::pstates $object]} {
    upf::fail "'$object' already has its power states"
  }
  set states [dict create]
  foreach state [dict get $opts -state] {
    if {[catch {llength $state}] || [llength $state] < 1} {
      upf::fail "-state '$state' must be {name ?options?}"
    }
    set sname [upf::identifier [lindex $state 0] "power state"]
    set what "-state $sname"
    if {[dict exists $states $sname]} {
      upf::fail "power state '$sname' of '$object' given twice"
    }
    if {[catch {upf::options [lrange $state 1 end] 0 {} {-supply_expr -logic_expr -simstate} {} {}} \
         parsed]} {
      upf::fail "$what: $parsed"
    }
    set sopts [lindex $parsed 1]
    if {$kind eq "set"} {
      if {[dict exists $sopts -logic_expr] || ![dict exists $sopts -supply_expr]} {
        upf::fail "$what: a supply set state takes -supply_expr (and no -logic_expr)"
      }
      set simstate [upf::one_of [upf::opt $sopts -simstate NORMAL] \
        {NORMAL CORRUPT_ON_ACTIVITY CORRUPT_STATE_ON_ACTIVITY CORRUPT_STATE_ON_CHANGE \
         CORRUPT_ON_CHANGE CORRUPT NOT_NORMAL} "$what -simstate"]
      dict set states $sname [dict create simstate $simstate \
        values [upf::supply_expr $object [dict get $sopts -supply_expr] $what]]
    } else {
      if {[dict exists $sopts -supply_expr] || [dict exists $sopts -simstate] ||
          ![dict exists $sopts -logic_expr]} {
        upf::fail "$what: a domain state takes -logic_expr only"
      }
      dict set states $sname [dict create terms [upf::logic_expr [dict get $sopts -logic_expr] $what]]
    }
  }
  dict set upf::pstates $object [dict create line $upf::line kind $kind states $states]
}

# ---- checks of the whole file -----------------------------------------------------------------

proc upf::scope_domain {} {
  variable domains
  dict for {name domain} $domains {
    if {[dict get $domain scope]} {
      return $name
    }
  }
  return ""
}

# Volts of supply port `port` in every supply-set state that powers it (from any function).
proc upf::port_volts {port} {
  variable port_net
  variable sets
  variable pstates
  set net [dict get $port_net $port]
  set volts {}
  dict for {set info} $sets {
    if {![dict exists $pstates $set]} continue
    dict for {func fnet} [dict get $info functions] {
      if {$fnet ne $net} continue
      dict for {sname state} [dict get $pstates $set states] {
        set v [dict get $state values]
        if {[dict exists $v $func] && [dict get $v $func] ne "off"} {
          lappend volts [dict get $v $func]
        }
      }
    }
  }
  return [lsort -unique $volts]
}

proc upf::check_supplies {} {
  variable ports
  variable nets
  variable sets
  variable port_net
  dict for {port info} $ports {
    if {![dict exists $port_net $port]} {
      fail_at [dict get $info line] create_supply_port "supply port '$port' is connected to no net"
    }
    set volts [port_volts $port]
    if {[llength $volts] != 1} {
      fail_at [dict get $info line] create_supply_port \
        "supply port '$port' must have one voltage in the power states, has [llength $volts]: $volts"
    }
  }
  set used [dict values $port_net]
  dict for {set info} $sets {
    lappend used {*}[dict values [dict get $info functions]]
  }
  dict for {net info} $nets {
    if {$net ni $used && [switch_driving $net] eq ""} {
      fail_at [dict get $info line] create_supply_net \
        "supply net '$net' is connected to no port, supply set or switch"
    }
  }
}

# Strategy supplies and the top domain's supply must not be switched.
proc upf::check_unswitched {set line cmd what} {
  variable sets
  set net [dict get $sets $set functions power]
  if {[switch_driving $net] ne ""} {
    fail_at $line $cmd "$what supply set '$set' is switched (its power '$net' is a switch output)"
  }
}

proc upf::check_domains {} {
  variable domains
  variable switches
  variable isolations
  variable retentions
  set scope [scope_domain]
  if {$scope eq ""} {
    fail_at $upf::top_line set_design_top "no power domain includes the scope (-include_scope)"
  }
  dict for {name domain} $domains {
    set line [dict get $domain line]
    if {$name eq $scope} {
      check_unswitched [dict get $domain supply primary] $line create_power_domain "top domain's primary"
      continue
    }
    set sw ""
    dict for {sname s} $switches {
      if {[dict get $s domain] eq $name} { set sw $sname }
    }
    if {$sw eq ""} {
      fail_at $line create_power_domain "switchable domain '$name' has no power switch"
    }
    set out [lindex [dict get $switches $sw output] 1]
    if {$out ne [primary_power $name]} {
      fail_at [dict get $switches $sw line] create_power_switch \
        "switch '$sw' drives '$out', not the primary power '[primary_power $name]' of '$name'"
    }
    if {![llength [dict filter $isolations script {k v} {expr {[dict get $v domain] eq $name}}]]} {
      fail_at $line create_power_domain "switchable domain '$name' has no isolation strategy"
    }
  }
  dict for {name iso} $isolations {
    check_unswitched [dict get $iso supply] [dict get $iso line] set_isolation "isolation"
  }
  dict for {name ret} $retentions {
    check_unswitched [dict get $ret supply] [dict get $ret line] set_retention "retention"
    if {![dict exists $ret save]} {
      fail_at [dict get $ret line] set_retention "retention strategy '$name' has no set_retention_control"
    }
  }
}

# The logic-expression terms of `object`'s state `state`, as a dict lhs -> rhs.
proc upf::state_terms {object state} {
  variable pstates
  set terms [dict create]
  foreach term [dict get $pstates $object states $state terms] {
    dict set terms {*}$term
  }
  return $terms
}

# Switched supply-set states run at a voltage one of the switch's inputs has.
proc upf::check_switched_volts {} {
  variable switches
  variable sets
  variable pstates
  variable port_net
  dict for {sw info} $switches {
    set in_volts {}
    foreach input [dict get $info inputs] {
      dict for {port net} $port_net {
        if {$net eq [lindex $input 1]} { lappend in_volts {*}[port_volts $port] }
      }
    }
    set out [lindex [dict get $info output] 1]
    dict for {set sinfo} $sets {
      if {[dict get $sinfo functions power] ne $out || ![dict exists $pstates $set]} continue
      dict for {sname state} [dict get $pstates $set states] {
        set v [dict get $state values power]
        if {$v ne "off" && $v ni $in_volts} {
          fail_at [dict get $pstates $set line] add_power_state \
            "state '$sname' of '$set' is at $v V, which no input of switch '$sw' supplies"
        }
      }
    }
  }
}

# Domain states name the domain's primary supply set; "RET" is the retention state: primary
# off while the retention save signal is active, and exists exactly for retained domains.
proc upf::check_domain_states {} {
  variable domains
  variable pstates
  variable retentions
  variable sets
  set scope [scope_domain]
  dict for {name domain} $domains {
    if {$name eq $scope} continue
    set primary [dict get $domain supply primary]
    if {![dict exists $pstates $name]} {
      fail_at [dict get $domain line] create_power_domain "power domain '$name' has no power states"
    }
    set line [dict get $pstates $name line]
    dict for {sname state} [dict get $pstates $name states] {
      if {![dict exists [state_terms $name $sname] $primary]} {
        fail_at $line add_power_state "state '$sname' of '$name' does not give its primary supply '$primary'"
      }
    }
    set ret ""
    dict for {rname r} $retentions {
      if {[dict get $r domain] eq $name} { set ret $rname }
    }
    set has_ret [dict exists $pstates $name states RET]
    if {$ret ne "" && !$has_ret} {
      fail_at $line add_power_state "domain '$name' has retention strategy '$ret' but no RET state"
    }
    if {$ret eq "" && $has_ret} {
      fail_at $line add_power_state "domain '$name' has a RET state but no retention strategy"
    }
    if {$ret eq ""} continue
    set terms [state_terms $name RET]
    set primary_state [dict get $terms $primary]
    if {[dict get $pstates $primary states $primary_state values power] ne "off"} {
      fail_at $line add_power_state "state RET of '$name' keeps its primary supply on"
    }
    lassign [dict get $retentions $ret save] net sense
    set active [expr {$sense in {high posedge} ? 1 : 0}]
    if {![dict exists $terms $net] || [dict get $terms $net] ne $active} {
      fail_at $line add_power_state "state RET of '$name' does not hold save signal '$net' at $active"
    }
  }
}

# The system states are the top domain's: each gives the state of every other domain.
proc upf::check_system_states {} {
  variable domains
  variable pstates
  set scope [scope_domain]
  if {![dict exists $pstates $scope]} {
    fail_at [dict get $domains $scope line] create_power_domain \
      "the top domain '$scope' has no power states (the system states)"
  }
  set line [dict get $pstates $scope line]
  dict for {sname state} [dict get $pstates $scope states] {
    set terms [state_terms $scope $sname]
    dict for {name domain} $domains {
      if {$name ne $scope && ![dict exists $terms $name]} {
        fail_at $line add_power_state "system state '$sname' does not give the state of domain '$name'"
      }
    }
  }
}

# Possible voltages of a domain: those of its primary supply's on states.
proc upf::domain_volts {name} {
  variable domains
  variable pstates
  set primary [dict get $domains $name supply primary]
  set volts {}
  if {[dict exists $pstates $primary]} {
    dict for {sname state} [dict get $pstates $primary states] {
      set v [dict get $state values power]
      if {$v ne "off"} { lappend volts $v }
    }
  }
  return $volts
}

proc upf::check_level_shifters {} {
  variable domains
  variable shifters
  set all {}
  dict for {name domain} $domains {
    lappend all {*}[domain_volts $name]
  }
  if {[llength [lsort -unique $all]] < 2} return
  set scope [scope_domain]
  dict for {name domain} $domains {
    if {$name eq $scope} continue
    if {![llength [dict filter $shifters script {k v} {expr {[dict get $v domain] eq $name}}]]} {
      fail_at [dict get $domain line] create_power_domain \
        "domain '$name' may run at another voltage than its neighbours and has no level shifter"
    }
  }
}

proc upf::finish {} {
  variable version
  variable top
  if {$version eq ""} { fail_at 1 "" "no upf_version" }
  if {$top eq ""} { fail_at 1 "" "no set_design_top" }
  check_supplies
  check_domains
  check_switched_volts
  check_domain_states
  check_system_states
  check_level_shifters
}

# ---- summary ---------------------------------------------------------------------------------

proc upf::summary {} {
  variable pstates
  puts [list version $upf::version]
  puts [list top $upf::top]
  dict for {port info} $upf::ports {
    puts [list supply $port [port_volts $port]]
  }
  dict for {set info} $upf::sets {
    puts [list supply_set $set {*}[dict get $info functions]]
  }
  dict for {name d} $upf::domains {
    puts [list domain $name scope [dict get $d scope] elements [dict get $d elements] \
      primary [dict get $d supply primary]]
  }
  dict for {name s} $upf::switches {
    puts [list switch $name domain [dict get $s domain] output [lindex [dict get $s output] 1] \
      inputs [lmap i [dict get $s inputs] {lindex $i 1}] \
      ctrl [lmap c [dict get $s controls] {lindex $c 1}] ack [lindex [dict get $s ack] 1]]
  }
  dict for {name i} $upf::isolations {
    puts [list isolation $name {*}[dict remove $i line]]
  }
  dict for {name r} $upf::retentions {
    puts [list retention $name {*}[dict remove $r line]]
  }
  dict for {name l} $upf::shifters {
    puts [list level_shifter $name {*}[dict remove $l line]]
  }
  set scope [scope_domain]
  dict for {object info} $pstates {
    dict for {sname state} [dict get $info states] {
      if {[dict get $info kind] eq "set"} {
        puts [list set_state $object $sname [dict get $state values] \
          simstate [dict get $state simstate]]
      } elseif {$object ne $scope} {
        puts [list domain_state $object $sname [state_terms $object $sname]]
      }
    }
  }
  dict for {sname state} [dict get $pstates $scope states] {
    puts [list state $sname [state_terms $scope $sname]]
  }
}

# ---- driver --------------------------------------------------------------------------------------

set upf::commands {
  upf_version set_design_top create_supply_port create_supply_net connect_supply_net
  create_supply_set create_power_domain create_power_switch set_isolation set_retention
  set_retention_control set_level_shifter add_power_state
}

proc upf::run {name args} {
  variable cmd $name
  if {$name ne "upf_version" && $upf::version eq ""} {
    fail "upf_version must be the first command"
  }
  upf::cmd::$name {*}$args
  return
}

proc upf::unknown {name args} {
  variable cmd $name
  fail "unknown command (not in the UPF subset this checker reads; see docs/upf.md)"
}

# A child interpreter with no command but the UPF ones.
proc upf::make_interp {} {
  set child [interp create -safe]
  set builtins [$child eval {info commands}]
  set namespaces [$child eval {namespace children ::}]
  foreach name $builtins {
    $child hide $name
  }
  foreach ns $namespaces {
    $child invokehidden namespace delete $ns
  }
  foreach name $upf::commands {
    interp alias $child $name {} upf::run $name
  }
  interp alias $child unknown {} upf::unknown
  return $child
}

proc upf::main {argv} {
  if {[llength $argv] != 1} {
    puts stderr "usage: tclsh upf_check.tcl FILE.upf"
    exit 2
  }
  set upf::file [lindex $argv 0]
  if {[catch {open $upf::file r} channel]} {
    die 0 "" "cannot read the file: $channel"
  }
  set text [read $channel]
  close $channel
  set child [make_interp]
  set chunk ""
  set number 0
  foreach text_line [split $text \n] {
    incr number
    if {$chunk eq ""} {
      set upf::line $number
    }
    append chunk $text_line \n
    if {![info complete $chunk]} continue
    set upf::cmd ""
    if {[catch {$child eval $chunk} msg]} {
      die $upf::line $upf::cmd $msg
    }
    set chunk ""
  }
  if {[string trim $chunk] ne ""} {
    die $upf::line "" "command not complete at the end of the file (unbalanced braces or quotes)"
  }
  if {[catch finish msg]} {
    die $upf::line "" $msg
  }
  summary
  exit 0
}

upf::main $argv
